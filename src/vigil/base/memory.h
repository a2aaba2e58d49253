// Large buffers: resize a vector whose memory is backed by transparent huge pages where the system
// allows it (Linux, transparent_hugepage = madvise or always). A 200 MB feature matrix otherwise
// costs some 50,000 page faults, which on virtual machines take longer than filling the matrix.
// Only a hint: the contents and the vector's behaviour are exactly those of v.resize(n).
#ifndef VIGIL_BASE_MEMORY_H_
#define VIGIL_BASE_MEMORY_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace vigil::base {

// Asks the kernel to back [data, data + bytes) with huge pages (the whole 2 MB pages inside it).
void AdviseHugePages(void* data, size_t bytes);

// Below this size a buffer is not worth the advice.
inline constexpr size_t kLargeBufferBytes = size_t{4} << 20;

// v.reserve(n), advising huge pages when the new storage is large.
template <typename T>
void ReserveLarge(std::vector<T>& v, size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  if (n * sizeof(T) >= kLargeBufferBytes) AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

// v.resize(n), advising huge pages first when the vector grows large.
template <typename T>
void ResizeLarge(std::vector<T>& v, size_t n) {
  ReserveLarge(v, n);
  v.resize(n);
}

// Makes room for `extra` more elements, growing geometrically (for vectors filled by push_back
// that may grow large).
template <typename T>
void GrowLarge(std::vector<T>& v, size_t extra) {
  if (v.size() + extra > v.capacity())
    ReserveLarge(v, std::max(v.size() + extra, 2 * v.capacity()));
}

}  // namespace vigil::base

#endif  // VIGIL_BASE_MEMORY_H_
