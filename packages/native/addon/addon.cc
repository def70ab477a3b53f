// The synchronous surface of the addon: library information and one call per
// suite operation. Each operation takes the caller's Uint8Arrays and returns
// the C ABI's status code; the native core writes its outputs straight into
// the JavaScript-owned output arrays (no secret ever sits in a C++ buffer on
// this path). On any non-OK status the core has zeroed every output.
#include "common.h"

namespace hybridkem_addon {
namespace {

Napi::Value AbiVersion(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), hybridkem_abi_version());
}

Napi::Value HeaderAbiVersion(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), HYBRIDKEM_ABI_VERSION);
}

Napi::Value LibraryVersion(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), hybridkem_library_version());
}

Napi::Value Implementation(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), hybridkem_implementation());
}

Napi::Value StatusName(const Napi::CallbackInfo &info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "status: expected a number");
  return Napi::String::New(info.Env(), hybridkem_status_name(info[0].As<Napi::Number>().Int32Value()));
}

// [{ id, name, publicKey, privateKey, ciphertext, sharedSecret, randomness }]
Napi::Value Suites(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  size_t count = hybridkem_suite_count();
  Napi::Array out = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; i++) {
    uint16_t id = 0;
    hybridkem_suite_info s{};
    s.struct_size = sizeof s;
    int32_t st = hybridkem_suite_id_at(i, &id);
    if (st == HYBRIDKEM_OK) st = hybridkem_suite_info_get(id, &s);
    if (st != HYBRIDKEM_OK) {
      throw Napi::Error::New(env, std::string("suite table: ") + hybridkem_status_name(st));
    }
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", Napi::Number::New(env, s.suite_id));
    o.Set("name", Napi::String::New(env, s.name ? s.name : ""));
    o.Set("publicKey", Napi::Number::New(env, s.public_key_len));
    o.Set("privateKey", Napi::Number::New(env, s.private_key_len));
    o.Set("ciphertext", Napi::Number::New(env, s.ciphertext_len));
    o.Set("sharedSecret", Napi::Number::New(env, s.shared_secret_len));
    o.Set("randomness", Napi::Number::New(env, s.randomness_len));
    out.Set(static_cast<uint32_t>(i), o);
  }
  return out;
}

Napi::Value Status(const Napi::CallbackInfo &info, int32_t status) {
  return Napi::Number::New(info.Env(), status);
}

// generatePrivateKey(suiteId, privateKeyOut) -> status
Napi::Value GeneratePrivateKey(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  Napi::Uint8Array sk = BytesArg(info, 1, "privateKey");
  return Status(info, hybridkem_generate_private_key(suite, sk.Data(), sk.ByteLength()));
}

// derivePublicKey(suiteId, privateKey, publicKeyOut) -> status
Napi::Value DerivePublicKey(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  Napi::Uint8Array sk = BytesArg(info, 1, "privateKey");
  Napi::Uint8Array pk = BytesArg(info, 2, "publicKey");
  return Status(info, hybridkem_derive_public_key(suite, sk.Data(), sk.ByteLength(), pk.Data(), pk.ByteLength()));
}

// encapsulate(suiteId, publicKey, ciphertextOut, sharedSecretOut) -> status
Napi::Value Encapsulate(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  Napi::Uint8Array pk = BytesArg(info, 1, "publicKey");
  Napi::Uint8Array ct = BytesArg(info, 2, "ciphertext");
  Napi::Uint8Array ss = BytesArg(info, 3, "sharedSecret");
  return Status(info, hybridkem_encapsulate(suite, pk.Data(), pk.ByteLength(), ct.Data(), ct.ByteLength(), ss.Data(),
                                            ss.ByteLength()));
}

// encapsulateDerand(suiteId, publicKey, randomness, ciphertextOut, sharedSecretOut) -> status
Napi::Value EncapsulateDerand(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  Napi::Uint8Array pk = BytesArg(info, 1, "publicKey");
  Napi::Uint8Array r = BytesArg(info, 2, "randomness");
  Napi::Uint8Array ct = BytesArg(info, 3, "ciphertext");
  Napi::Uint8Array ss = BytesArg(info, 4, "sharedSecret");
  return Status(info, hybridkem_encapsulate_derand(suite, pk.Data(), pk.ByteLength(), r.Data(), r.ByteLength(), ct.Data(),
                                                   ct.ByteLength(), ss.Data(), ss.ByteLength()));
}

// decapsulate(suiteId, privateKey, ciphertext, sharedSecretOut) -> status
Napi::Value Decapsulate(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  Napi::Uint8Array sk = BytesArg(info, 1, "privateKey");
  Napi::Uint8Array ct = BytesArg(info, 2, "ciphertext");
  Napi::Uint8Array ss = BytesArg(info, 3, "sharedSecret");
  return Status(info, hybridkem_decapsulate(suite, sk.Data(), sk.ByteLength(), ct.Data(), ct.ByteLength(), ss.Data(),
                                            ss.ByteLength()));
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Function::New(env, AbiVersion, "abiVersion"));
  exports.Set("headerAbiVersion", Napi::Function::New(env, HeaderAbiVersion, "headerAbiVersion"));
  exports.Set("libraryVersion", Napi::Function::New(env, LibraryVersion, "libraryVersion"));
  exports.Set("implementation", Napi::Function::New(env, Implementation, "implementation"));
  exports.Set("statusName", Napi::Function::New(env, StatusName, "statusName"));
  exports.Set("suites", Napi::Function::New(env, Suites, "suites"));
  exports.Set("generatePrivateKey", Napi::Function::New(env, GeneratePrivateKey, "generatePrivateKey"));
  exports.Set("derivePublicKey", Napi::Function::New(env, DerivePublicKey, "derivePublicKey"));
  exports.Set("encapsulate", Napi::Function::New(env, Encapsulate, "encapsulate"));
  exports.Set("encapsulateDerand", Napi::Function::New(env, EncapsulateDerand, "encapsulateDerand"));
  exports.Set("decapsulate", Napi::Function::New(env, Decapsulate, "decapsulate"));
  InitBatch(env, exports);
  return exports;
}

}  // namespace hybridkem_addon

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return hybridkem_addon::Init(env, exports); }

NODE_API_MODULE(hybridkem_native, InitModule)
