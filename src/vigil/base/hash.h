// Content fingerprints (SHA-256, through OpenSSL).
#ifndef VIGIL_BASE_HASH_H_
#define VIGIL_BASE_HASH_H_

#include <string>
#include <string_view>

namespace vigil::base {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// Incremental SHA-256 for data that arrives in pieces (a file read in blocks).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Lower-case hex digest. The object must not be updated afterwards.
  std::string FinishHex();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace vigil::base

#endif  // VIGIL_BASE_HASH_H_
