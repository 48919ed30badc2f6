#include "domain/session_cache.h"

#include <algorithm>
#include <utility>

namespace casevault::domain {

SessionCache::SessionCache(size_t max_entries, UnixMillis idle_timeout)
    : max_entries_(std::max<size_t>(max_entries, 1)),
      idle_timeout_(idle_timeout) {}

std::optional<CachedSession> SessionCache::Find(const std::string& token_hash,
                                                UnixMillis now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  CachedSession& s = it->second.session;
  if (s.expires_at <= now || s.last_touched_at + idle_timeout_ <= now) {
    EraseLocked(it);
    return std::nullopt;
  }
  s.last_used_at = std::max(s.last_used_at, now);
  lru_.splice(lru_.begin(), lru_, it->second.recency);
  return s;
}

uint64_t SessionCache::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

bool SessionCache::Put(const std::string& token_hash, CachedSession entry,
                       uint64_t seen_generation) {
  absl::MutexLock lock(&mu_);
  if (seen_generation != generation_) return false;  // invariant 4
  entry.caller.request_id.clear();
  auto it = entries_.find(token_hash);
  if (it != entries_.end()) {
    it->second.session = std::move(entry);
    lru_.splice(lru_.begin(), lru_, it->second.recency);
    return true;
  }
  while (entries_.size() >= max_entries_ && !lru_.empty()) {
    EraseLocked(entries_.find(lru_.back()));
  }
  lru_.push_front(token_hash);
  entries_.emplace(token_hash, Slot{std::move(entry), lru_.begin()});
  return true;
}

void SessionCache::MarkTouched(const std::string& token_hash, UnixMillis at) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return;
  CachedSession& s = it->second.session;
  s.last_touched_at = std::max(s.last_touched_at, at);
}

void SessionCache::Erase(const std::string& token_hash) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  auto it = entries_.find(token_hash);
  if (it != entries_.end()) EraseLocked(it);
}

void SessionCache::EraseAccount(int64_t account_id) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  // A scan: at most max_entries_, and only on account changes.
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->second.session.caller.account_id == account_id) EraseLocked(it);
    it = next;
  }
}

size_t SessionCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

void SessionCache::EraseLocked(
    std::unordered_map<std::string, Slot>::iterator it) {
  lru_.erase(it->second.recency);
  entries_.erase(it);
}

}  // namespace casevault::domain
