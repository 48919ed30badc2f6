// casevault.v1 coordination messages (coordination.proto) <-> domain types,
// as case_translation.h: enum numbers pass through, `bytes` carry UTF-8,
// proto3 `optional` fields become std::optional (absent: unchanged).
#ifndef CASEVAULT_SERVER_COORDINATION_TRANSLATION_H_
#define CASEVAULT_SERVER_COORDINATION_TRANSLATION_H_

#include "casevault/v1/coordination.pb.h"
#include "domain/coordination_model.h"

namespace casevault::server {

domain::NewStep FromProto(const v1::AddStepRequest& request);
domain::StepChange FromProto(const v1::UpdateStepRequest& request);
domain::StepListQuery FromProto(const v1::ListStepsRequest& request);
domain::NewConsent FromProto(const v1::RecordConsentRequest& request);
domain::NewOverride FromProto(const v1::RecordOverrideRequest& request);

void ToProto(const domain::StepView& step, v1::Step* out);
void ToProto(const domain::ConsentView& consent, v1::Consent* out);
void ToProto(const domain::OverrideView& override_view,
             v1::ConsentOverride* out);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_COORDINATION_TRANSLATION_H_
