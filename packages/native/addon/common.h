// Shared helpers of the addon: argument checks and wiping.
//
// The TypeScript layer (src/) checks types and lengths and maps status codes
// to @hybridkem/core's typed errors; the checks here are the second line, so
// that calling the raw addon wrongly throws a TypeError and never crashes.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "hybridkem.h"

namespace hybridkem_addon {

// A memset the compiler may not remove as a dead store: the C++ side has no
// OPENSSL_cleanse, so writes go through a volatile pointer.
inline void Wipe(void *data, size_t length) {
  volatile uint8_t *p = static_cast<volatile uint8_t *>(data);
  for (size_t i = 0; i < length; i++) p[i] = 0;
}

inline void Wipe(std::vector<uint8_t> &v) {
  if (!v.empty()) Wipe(v.data(), v.size());
}

// A suite id argument: an integer in [0, 65535].
inline uint16_t SuiteIdArg(const Napi::CallbackInfo &info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "suiteId: expected an integer in [0, 65535]");
  }
  double d = info[index].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 65535) || d != static_cast<double>(static_cast<uint32_t>(d))) {
    throw Napi::TypeError::New(info.Env(), "suiteId: expected an integer in [0, 65535]");
  }
  return static_cast<uint16_t>(d);
}

// A Uint8Array argument (a view: byte offset and length respected).
inline Napi::Uint8Array BytesArg(const Napi::CallbackInfo &info, size_t index, const char *name) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + ": expected a Uint8Array");
  }
  return info[index].As<Napi::Uint8Array>();
}

// Bytes owned by the addon, wiped whenever they are released (return,
// exception or destruction): copies of secrets never outlive their use.
class WipedBytes : public std::vector<uint8_t> {
 public:
  WipedBytes() = default;
  WipedBytes(const uint8_t *data, size_t length) : std::vector<uint8_t>(data, data + length) {}
  explicit WipedBytes(size_t length) : std::vector<uint8_t>(length) {}
  WipedBytes(WipedBytes &&) = default;
  WipedBytes &operator=(WipedBytes &&other) {
    Wipe(*this);
    std::vector<uint8_t>::operator=(std::move(other));
    return *this;
  }
  WipedBytes(const WipedBytes &) = delete;
  WipedBytes &operator=(const WipedBytes &) = delete;
  ~WipedBytes() { Wipe(*this); }
};

// A copy of a Uint8Array argument's bytes, taken at once: nothing that could
// run JavaScript (and detach or shrink the buffer) happens between reading
// the view's pointer and copying.
inline WipedBytes CopyBytesArg(const Napi::CallbackInfo &info, size_t index, const char *name) {
  Napi::Uint8Array bytes = BytesArg(info, index, name);
  return WipedBytes(bytes.Data(), bytes.ByteLength());
}

// A JavaScript array of Uint8Array, copied into owned buffers (for work that
// leaves the JavaScript thread: the caller may change or detach its buffers).
// Reading an element can run JavaScript (a getter), which may detach or
// resize any buffer, so each element is copied as soon as it is read, and the
// callers copy every other input before this runs. A hole is rejected without
// being read: reading it would consult the prototype chain.
inline std::vector<WipedBytes> CopyBytesArray(Napi::Env env, Napi::Value value, const char *name) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, std::string(name) + ": expected an array of Uint8Array");
  Napi::Array array = value.As<Napi::Array>();
  const uint32_t length = array.Length();  // once: a getter may grow or shrink the array
  std::vector<WipedBytes> out;
  for (uint32_t i = 0; i < length; i++) {
    std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    if (!array.HasOwnProperty(std::to_string(i))) throw Napi::TypeError::New(env, field + ": expected a Uint8Array, got a hole");
    Napi::Value item = array.Get(i);
    if (!item.IsTypedArray() || item.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      throw Napi::TypeError::New(env, field + ": expected a Uint8Array");
    }
    Napi::Uint8Array bytes = item.As<Napi::Uint8Array>();
    out.emplace_back(bytes.Data(), bytes.ByteLength());
  }
  return out;
}

// A fresh Uint8Array holding a copy of `data`.
inline Napi::Uint8Array NewBytes(Napi::Env env, const uint8_t *data, size_t length) {
  Napi::Uint8Array out = Napi::Uint8Array::New(env, length);
  if (length > 0) std::memcpy(out.Data(), data, length);
  return out;
}

// Registers the asynchronous batch functions (batch.cc).
void InitBatch(Napi::Env env, Napi::Object exports);

}  // namespace hybridkem_addon
