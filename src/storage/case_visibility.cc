#include "storage/case_visibility.h"

namespace casevault::storage {

// The membership kinds appear as literals in the SQL below.
static_assert(static_cast<int32_t>(MemberKind::kParticipant) == 1);
static_assert(static_cast<int32_t>(MemberKind::kImplicated) == 2);

void BoundSql::BindTo(Statement& stmt) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* number = std::get_if<int64_t>(&values_[i])) {
      stmt.BindInt64(index, *number);
    } else {
      stmt.BindText(index, std::get<std::string>(values_[i]));
    }
  }
}

absl::Status AppendVisibleCase(int64_t viewer_id,
                               const std::vector<CaseRoute>& routes,
                               BoundSql& sql) {
  if (viewer_id <= 0) {
    return absl::InvalidArgumentError("the viewer must be an account id");
  }
  if (routes.size() > kMaxCaseRoutes) {
    return absl::InvalidArgumentError("too many case routes");
  }
  // Each grant is a term an index serves (owner, pending owner, the
  // viewer's participations, a route's school), so a list with few grants
  // never reads the whole table; route clauses without a school are served
  // by the covering index cases_for_listing (docs/storage.md, "v3").
  sql.Sql("((cases.owner_id = ")
      .Int(viewer_id)
      .Sql(" OR cases.pending_owner_id = ")
      .Int(viewer_id)
      .Sql(
          " OR cases.id IN (SELECT participant.case_id"
          " FROM case_members AS participant"
          " WHERE participant.account_id = ")
      .Int(viewer_id)
      .Sql(" AND participant.kind = 1)");
  for (const CaseRoute& route : routes) {
    sql.Sql(" OR (");
    bool first = true;
    // Opens the next condition of the clause.
    auto next = [&]() -> BoundSql& {
      if (!first) sql.Sql(" AND ");
      first = false;
      return sql;
    };
    if (route.school_id) {
      next().Sql("cases.school_id = ").Text(*route.school_id);
    }
    if (route.min_escalation) {
      next().Sql("cases.escalation >= ").Int(*route.min_escalation);
    }
    if (route.staff_involved) next().Sql("cases.staff_involved = 1");
    if (route.principal_recused) next().Sql("cases.principal_recused = 1");
    if (first) sql.Sql("1");  // nothing set: every case
    sql.Sql(")");
  }
  // Recusal overrides every grant above.
  sql.Sql(
         ") AND NOT EXISTS (SELECT 1 FROM case_members AS implicated"
         " WHERE implicated.case_id = cases.id"
         " AND implicated.account_id = ")
      .Int(viewer_id)
      .Sql(" AND implicated.kind = 2))");
  return absl::OkStatus();
}

}  // namespace casevault::storage
