#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/stridefuse.h"

extern "C" int sf_version(int* major, int* minor, int* patch, int* schema_major, int* schema_minor) {
  // The numbers come from the CMake project version, so the C API cannot disagree with `stridefuse version`.
  if (major) *major = STRIDEFUSE_VERSION_MAJOR;
  if (minor) *minor = STRIDEFUSE_VERSION_MINOR;
  if (patch) *patch = STRIDEFUSE_VERSION_PATCH;
  if (schema_major) *schema_major = stridefuse::event_schema_major;
  if (schema_minor) *schema_minor = stridefuse::event_schema_minor;
  return SF_OK;
}
