#pragma once

#include <atomic>

namespace cca::server {

// Bounds how many requests of a kind run at once. A request that finds every slot taken is
// refused at once (the caller answers "retry later") instead of queueing without bound: a
// fleet's exporters retry with backoff, a queue would only hold their connections and memory.
class InFlightLimit {
 public:
  explicit InFlightLimit(int limit) : limit_(limit) {}

  // A slot held for the lifetime of the object (or of the one it moves to); check held() first.
  class Slot {
   public:
    explicit Slot(InFlightLimit& owner) : owner_(&owner) {
      int now = owner.in_flight_.load(std::memory_order_relaxed);
      while (now < owner.limit_ &&
             !owner.in_flight_.compare_exchange_weak(now, now + 1, std::memory_order_acquire)) {
      }
      if (now >= owner.limit_) owner_ = nullptr;
    }
    ~Slot() {
      if (owner_) owner_->in_flight_.fetch_sub(1, std::memory_order_release);
    }
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;

    bool held() const { return owner_ != nullptr; }

   private:
    InFlightLimit* owner_;
  };

  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  int limit() const { return limit_; }

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
};

}  // namespace cca::server
