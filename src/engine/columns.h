#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace cca::engine {

// Asks the kernel to back a large buffer about to be written with 2 MB pages (transparent huge
// pages, where the system allows them for regions that ask). Filling gigabytes of columns at
// start-up is otherwise dominated by one page fault per 4 kB, which costs several times the copy
// itself on virtual machines. Small buffers are left alone.
void prefer_huge_pages(const void* data, size_t bytes);

// Reserves `values` for `size` elements and prefers huge pages for them (see above).
template <class T>
void reserve_columns(std::vector<T>& values, size_t size) {
  values.reserve(size);
  prefer_huge_pages(values.data(), values.capacity() * sizeof(T));
}

// A column of dictionary codes, stored in as few bytes per row as its largest code needs (1, 2
// or 4): most attributes have a few dozen distinct values, so a uint32 per row would be three
// quarters zeros. Immutable once built, like the segment holding it.
class CodeColumn {
 public:
  CodeColumn() = default;
  explicit CodeColumn(const std::vector<uint32_t>& codes) {
    uint32_t largest = 0;
    for (const uint32_t code : codes) largest = std::max(largest, code);
    codes_ = codes.empty() ? 0 : largest + 1;
    width_ = largest <= UINT8_MAX ? 1 : largest <= UINT16_MAX ? 2 : 4;
    size_ = codes.size();
    reserve_columns(bytes_, size_ * width_);
    bytes_.resize(size_ * width_);
    switch (width_) {
      case 1:
        for (size_t i = 0; i < size_; ++i) bytes_[i] = static_cast<uint8_t>(codes[i]);
        break;
      case 2:
        for (size_t i = 0; i < size_; ++i) {
          const auto code = static_cast<uint16_t>(codes[i]);
          std::memcpy(&bytes_[i * 2], &code, 2);
        }
        break;
      default:
        std::memcpy(bytes_.data(), codes.data(), size_ * 4);
    }
  }

  uint32_t operator[](size_t i) const {
    switch (width_) {
      case 1:
        return bytes_[i];
      case 2: {
        uint16_t code;
        std::memcpy(&code, &bytes_[i * 2], 2);
        return code;
      }
      default: {
        uint32_t code;
        std::memcpy(&code, &bytes_[i * 4], 4);
        return code;
      }
    }
  }
  size_t size() const { return size_; }
  // One more than the largest code (0 when empty): tables indexed by code need this many entries.
  uint32_t codes() const { return codes_; }
  size_t bytes() const { return bytes_.capacity(); }

  // For the snapshot file.
  uint8_t width() const { return width_; }
  const std::vector<uint8_t>& raw() const { return bytes_; }
  // False when the raw bytes do not hold whole rows of a valid width.
  bool assign_raw(uint8_t width, std::vector<uint8_t> raw) {
    if (width != 1 && width != 2 && width != 4) return false;
    if (raw.size() % width != 0) return false;
    width_ = width;
    size_ = raw.size() / width;
    bytes_ = std::move(raw);
    uint32_t largest = 0;
    for (size_t i = 0; i < size_; ++i) largest = std::max(largest, (*this)[i]);
    codes_ = size_ == 0 ? 0 : largest + 1;
    return true;
  }

 private:
  uint8_t width_ = 1;
  uint32_t codes_ = 0;
  size_t size_ = 0;
  std::vector<uint8_t> bytes_;
};

// A column of numbers kept as floats when every one of them is exactly a float (token counts,
// whole milliseconds), else as doubles: reads give back exactly the doubles it was built from.
class NumberColumn {
 public:
  NumberColumn() = default;
  explicit NumberColumn(const std::vector<double>& values) {
    bool exact = true;
    for (const double value : values) {
      if (!std::isnan(value) && static_cast<double>(static_cast<float>(value)) != value) {
        exact = false;
        break;
      }
    }
    if (exact) {
      reserve_columns(floats_, values.size());
      for (const double value : values) floats_.push_back(static_cast<float>(value));
    } else {
      reserve_columns(doubles_, values.size());
      doubles_ = values;
    }
    narrow_ = exact;
  }

  double operator[](size_t i) const { return narrow_ ? floats_[i] : doubles_[i]; }
  size_t size() const { return narrow_ ? floats_.size() : doubles_.size(); }
  size_t bytes() const { return floats_.capacity() * 4 + doubles_.capacity() * 8; }

  // For the snapshot file.
  bool narrow() const { return narrow_; }
  const std::vector<float>& floats() const { return floats_; }
  const std::vector<double>& doubles() const { return doubles_; }
  // False when both or neither hold the values.
  bool assign_raw(bool narrow, std::vector<float> floats, std::vector<double> doubles) {
    if (narrow ? !doubles.empty() : !floats.empty()) return false;
    narrow_ = narrow;
    floats_ = std::move(floats);
    doubles_ = std::move(doubles);
    return true;
  }

 private:
  bool narrow_ = true;
  std::vector<float> floats_;
  std::vector<double> doubles_;
};

// A column of numbers that most rows lack (NaN), such as prompt_length, which only user_prompt
// events carry: a presence bit per row, and the present values in row order, found by counting
// the bits before a row (a popcount within its 64-row word, plus a running count per word).
class SparseNumbers {
 public:
  SparseNumbers() = default;
  explicit SparseNumbers(const std::vector<double>& values) {
    size_ = values.size();
    present_.assign((size_ + 63) / 64, 0);
    before_word_.reserve(present_.size());
    size_t count = 0;
    for (size_t i = 0; i < size_; ++i) {
      if (i % 64 == 0) before_word_.push_back(static_cast<uint32_t>(count));
      if (std::isnan(values[i])) continue;
      present_[i / 64] |= uint64_t{1} << (i % 64);
      ++count;
    }
    std::vector<double> present_values;
    reserve_columns(present_values, count);
    for (const double value : values)
      if (!std::isnan(value)) present_values.push_back(value);
    values_ = NumberColumn(present_values);
  }

  // The row's number, NaN when absent.
  double operator[](size_t i) const {
    const uint64_t word = present_[i / 64];
    const uint64_t bit = uint64_t{1} << (i % 64);
    if ((word & bit) == 0) return std::numeric_limits<double>::quiet_NaN();
    return values_[before_word_[i / 64] + static_cast<size_t>(std::popcount(word & (bit - 1)))];
  }
  size_t size() const { return size_; }
  size_t bytes() const {
    return present_.capacity() * 8 + before_word_.capacity() * 4 + values_.bytes();
  }

  // For the snapshot file: the presence bits and the values; the counts are rebuilt.
  const std::vector<uint64_t>& present() const { return present_; }
  const NumberColumn& values() const { return values_; }
  // False when the bits and values do not agree.
  bool assign_raw(size_t size, std::vector<uint64_t> present, NumberColumn values) {
    if (present.size() != (size + 63) / 64) return false;
    if (size % 64 != 0 && !present.empty() && (present.back() >> (size % 64)) != 0) return false;
    std::vector<uint32_t> before_word;
    before_word.reserve(present.size());
    size_t count = 0;
    for (const uint64_t word : present) {
      before_word.push_back(static_cast<uint32_t>(count));
      count += static_cast<size_t>(std::popcount(word));
    }
    if (count != values.size()) return false;
    size_ = size;
    present_ = std::move(present);
    before_word_ = std::move(before_word);
    values_ = std::move(values);
    return true;
  }

 private:
  size_t size_ = 0;
  std::vector<uint64_t> present_;
  std::vector<uint32_t> before_word_;
  NumberColumn values_;
};

}  // namespace cca::engine
