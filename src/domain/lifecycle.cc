#include "domain/lifecycle.h"

#include <string>

namespace casevault::domain {
namespace {

struct Transition {
  CaseStatus from;
  CaseEvent event;
  CaseStatus to;
};

using S = CaseStatus;
using E = CaseEvent;

// Every allowed (status, event) pair. Absent means FAILED_PRECONDITION.
constexpr Transition kTable[] = {
    {S::kOpen, E::kWork, S::kInProgress},
    {S::kInProgress, E::kWork, S::kInProgress},
    {S::kEscalated, E::kWork, S::kEscalated},
    {S::kResolved, E::kWork, S::kResolved},

    {S::kOpen, E::kAmend, S::kOpen},
    {S::kInProgress, E::kAmend, S::kInProgress},
    {S::kEscalated, E::kAmend, S::kEscalated},
    {S::kResolved, E::kAmend, S::kResolved},

    {S::kOpen, E::kRecuse, S::kOpen},
    {S::kInProgress, E::kRecuse, S::kInProgress},
    {S::kEscalated, E::kRecuse, S::kEscalated},
    {S::kResolved, E::kRecuse, S::kResolved},
    {S::kClosed, E::kRecuse, S::kClosed},

    {S::kOpen, E::kEscalate, S::kEscalated},
    {S::kInProgress, E::kEscalate, S::kEscalated},
    {S::kEscalated, E::kEscalate, S::kEscalated},

    {S::kOpen, E::kResolve, S::kResolved},
    {S::kInProgress, E::kResolve, S::kResolved},
    {S::kEscalated, E::kResolve, S::kResolved},

    {S::kResolved, E::kClose, S::kClosed},

    {S::kResolved, E::kReopen, S::kInProgress},
    {S::kClosed, E::kReopen, S::kInProgress},
};

std::string_view EventName(CaseEvent event) {
  switch (event) {
    case E::kWork: return "work on it";
    case E::kAmend: return "change it";
    case E::kRecuse: return "change who is implicated";
    case E::kEscalate: return "escalate it";
    case E::kResolve: return "resolve it";
    case E::kClose: return "close it";
    case E::kReopen: return "reopen it";
  }
  return "change it";
}

}  // namespace

absl::StatusOr<CaseStatus> NextStatus(CaseStatus from, CaseEvent event) {
  for (const Transition& t : kTable) {
    if (t.from == from && t.event == event) return t.to;
  }
  std::string message = "the case is ";
  message += CaseStatusName(from);
  message += "; you cannot ";
  message += EventName(event);
  message += " now";
  return absl::FailedPreconditionError(message);
}

std::string_view CaseStatusName(CaseStatus status) {
  switch (status) {
    case S::kOpen: return "open";
    case S::kInProgress: return "in progress";
    case S::kEscalated: return "escalated";
    case S::kResolved: return "resolved";
    case S::kClosed: return "closed";
  }
  return "in an unknown state";
}

}  // namespace casevault::domain
