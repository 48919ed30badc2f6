// consent record | withdraw | override: the consent that referrals outside
// the school need, and the audited override when it cannot be had.
#include "absl/strings/str_cat.h"
#include "client/command_flags.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "client/output.h"

namespace casevault::client {
namespace {

std::string CaseReload(const std::string& case_id) {
  return absl::StrCat("casevault case show ", PrintableText(case_id, false));
}

// --service: required for a referral (a society step kind), refused for the
// other purposes.
absl::StatusOr<v1::StepKind> ServiceFor(v1::ConsentPurpose purpose, const std::string& service) {
  if (purpose != v1::CONSENT_PURPOSE_REFERRAL) {
    if (!service.empty()) {
      return ClientError(ExitCode::kUsage, "--service is only for --purpose referral");
    }
    return v1::STEP_KIND_UNSPECIFIED;
  }
  if (service.empty()) {
    return ClientError(ExitCode::kUsage,
                       absl::StrCat("--purpose referral needs --service, one of ",
                                    EnumChoicesWhere<v1::StepKind>(IsSocietyKind)));
  }
  return ParseEnumFlagWhere<v1::StepKind>(service, "--service", IsSocietyKind);
}

}  // namespace

absl::Status RunConsentRecord(const ConsentRecordOptions& options, CommandContext& context) {
  if (absl::Status s = RequireId(options.case_id, "case"); !s.ok()) return s;
  absl::StatusOr<v1::ConsentPurpose> purpose =
      ParseEnumFlag<v1::ConsentPurpose>(options.purpose, "--purpose");
  if (!purpose.ok()) return purpose.status();
  absl::StatusOr<v1::StepKind> service = ServiceFor(*purpose, options.service);
  if (!service.ok()) return service.status();
  absl::StatusOr<v1::ConsentGiver> given_by =
      ParseEnumFlag<v1::ConsentGiver>(options.given_by, "--given-by");
  if (!given_by.ok()) return given_by.status();
  v1::ChildAssent assent = v1::CHILD_ASSENT_UNSPECIFIED;
  if (!options.child_assent.empty()) {
    absl::StatusOr<v1::ChildAssent> parsed =
        ParseEnumFlag<v1::ChildAssent>(options.child_assent, "--child-assent");
    if (!parsed.ok()) return parsed.status();
    assent = *parsed;
  }
  if (absl::Status s = CheckDateFlag(options.given_on, "--given-on"); !s.ok()) return s;

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::RecordConsentRequest request;
  request.set_case_id(options.case_id);
  request.set_purpose(*purpose);
  request.set_service_kind(*service);
  request.set_given_by(*given_by);
  request.set_child_assent(assent);
  request.set_given_on(options.given_on);
  absl::StatusOr<v1::Consent> consent = (*api)->RecordConsent(request);
  if (!consent.ok()) {
    return ForThing(consent.status(), "case", options.case_id, CaseReload(options.case_id));
  }
  PrintResult(context, ConsentJson(*consent), ConsentText(*consent, context.language()));
  return absl::OkStatus();
}

absl::Status RunConsentWithdraw(const std::string& consent_id, CommandContext& context) {
  if (absl::Status s = RequireId(consent_id, "consent"); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::WithdrawConsentRequest request;
  request.set_consent_id(consent_id);
  absl::StatusOr<v1::Consent> consent = (*api)->WithdrawConsent(request);
  if (!consent.ok()) {
    return ForThing(consent.status(), "consent", consent_id, "casevault case show CASE_ID");
  }
  PrintResult(context, ConsentJson(*consent), ConsentText(*consent, context.language()));
  return absl::OkStatus();
}

absl::Status RunConsentOverride(const ConsentOverrideOptions& options, CommandContext& context) {
  if (absl::Status s = RequireId(options.case_id, "case"); !s.ok()) return s;
  absl::StatusOr<v1::ConsentPurpose> purpose =
      ParseEnumFlag<v1::ConsentPurpose>(options.purpose, "--purpose");
  if (!purpose.ok()) return purpose.status();
  absl::StatusOr<v1::StepKind> service = ServiceFor(*purpose, options.service);
  if (!service.ok()) return service.status();
  absl::StatusOr<v1::OverrideReason> reason =
      ParseEnumFlag<v1::OverrideReason>(options.reason, "--reason");
  if (!reason.ok()) return reason.status();

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::RecordOverrideRequest request;
  request.set_case_id(options.case_id);
  request.set_purpose(*purpose);
  request.set_service_kind(*service);
  request.set_reason(*reason);
  absl::StatusOr<v1::ConsentOverride> recorded = (*api)->RecordOverride(request);
  if (!recorded.ok()) {
    return ForThing(recorded.status(), "case", options.case_id, CaseReload(options.case_id));
  }
  PrintResult(context, ConsentOverrideJson(*recorded),
              ConsentOverrideText(*recorded, context.language()));
  return absl::OkStatus();
}

}  // namespace casevault::client
