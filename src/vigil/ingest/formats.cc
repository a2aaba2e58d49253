#include "vigil/ingest/formats.h"

namespace vigil::ingest {

const std::vector<Format>& Formats() {
  // One entry per reader; each reader's header declares the function named here.
  static const std::vector<Format> kFormats = {};
  return kFormats;
}

const Format* FindFormat(const std::string& name) {
  for (const Format& f : Formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace vigil::ingest
