// The synchronous surface of the addon: library information and one call per
// suite operation. Each operation takes the caller's Uint8Arrays and returns
// the C ABI's status code; the native core writes its outputs straight into
// the JavaScript-owned output arrays (no secret sits in a C++ buffer on this
// path unless the caller's memory is a SharedArrayBuffer, see CallBuffers).
// On any non-OK status the core has zeroed every output.
#include <atomic>
#include <initializer_list>

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

// A status is an int32_t: any other number would be wrapped by Int32Value
// (2**40 becomes 0, "HYBRIDKEM_OK"), so it is refused.
Napi::Value StatusName(const Napi::CallbackInfo &info) {
  double d = info.Length() < 1 || !info[0].IsNumber() ? 0.5 : info[0].As<Napi::Number>().DoubleValue();
  if (!(d >= INT32_MIN && d <= INT32_MAX) || d != static_cast<double>(static_cast<int32_t>(d))) {
    throw Napi::TypeError::New(info.Env(), "status: expected an int32 status code");
  }
  return Napi::String::New(info.Env(), hybridkem_status_name(static_cast<int32_t>(d)));
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

enum Direction { kIn, kOut };

struct BufferSpec {
  const char *name;
  Direction direction;
};

// The Uint8Array arguments of one synchronous call (arguments 1, 2, ... in
// the order given), as the native core is to see them:
// - an output overlapping any other argument is refused with a TypeError
//   (include/hybridkem.h, CONVENTIONS: buffers must not overlap; the core
//   would otherwise read a ciphertext it is overwriting);
// - an argument in a SharedArrayBuffer is replaced by a private copy for the
//   call (outputs are copied back after it), so another thread cannot change
//   an input between the core's checks and its use, nor race its writes;
//   copies are wiped when the call ends.
class CallBuffers {
 public:
  CallBuffers(const Napi::CallbackInfo &info, std::initializer_list<BufferSpec> specs) {
    for (const BufferSpec &spec : specs) {
      Napi::Uint8Array a = BytesArg(info, 1 + args_.size(), spec.name);
      args_.push_back({spec, a.Data(), a.ByteLength(), !a.ArrayBuffer().IsArrayBuffer()});
    }
    for (const Arg &out : args_) {
      if (out.spec.direction != kOut) continue;
      for (const Arg &other : args_) {
        if (&other != &out && Overlap(out, other)) {
          throw Napi::TypeError::New(info.Env(), std::string(out.spec.name) + ": overlaps " + other.spec.name);
        }
      }
    }
    copies_.reserve(args_.size());
    for (Arg &a : args_) {
      if (!a.shared) continue;
      copies_.emplace_back(a.data, a.length);
      a.call_data = copies_.back().data();
    }
  }

  uint8_t *Data(size_t i) { return args_[i].call_data ? args_[i].call_data : args_[i].data; }
  // Data(i), or a pointer to a static byte for an empty argument: the C ABI
  // refuses NULL even with length 0, and an empty Uint8Array may have no
  // backing store (an empty message or context is valid for signatures).
  uint8_t *NonNull(size_t i) {
    static uint8_t empty = 0;
    uint8_t *p = Data(i);
    return p ? p : &empty;
  }
  size_t Length(size_t i) const { return args_[i].length; }

  // The status of the call as a JavaScript number, after copying staged
  // outputs back (zeros included, on failure).
  Napi::Value Finish(Napi::Env env, int32_t status) {
    for (Arg &a : args_) {
      if (a.call_data && a.spec.direction == kOut && a.length > 0) std::memcpy(a.data, a.call_data, a.length);
    }
    return Napi::Number::New(env, status);
  }

 private:
  struct Arg {
    BufferSpec spec;
    uint8_t *data;
    size_t length;
    bool shared;
    uint8_t *call_data = nullptr;
  };

  static bool Overlap(const Arg &a, const Arg &b) {
    if (a.length == 0 || b.length == 0) return false;
    auto x = reinterpret_cast<uintptr_t>(a.data), y = reinterpret_cast<uintptr_t>(b.data);
    return x < y + b.length && y < x + a.length;
  }

  std::vector<Arg> args_;
  std::vector<WipedBytes> copies_;  // reserved up front: call_data pointers stay valid
};

// generatePrivateKey(suiteId, privateKeyOut) -> status
Napi::Value GeneratePrivateKey(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  CallBuffers b(info, {{"privateKey", kOut}});
  return b.Finish(info.Env(), hybridkem_generate_private_key(suite, b.Data(0), b.Length(0)));
}

// derivePublicKey(suiteId, privateKey, publicKeyOut) -> status
Napi::Value DerivePublicKey(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  CallBuffers b(info, {{"privateKey", kIn}, {"publicKey", kOut}});
  return b.Finish(info.Env(), hybridkem_derive_public_key(suite, b.Data(0), b.Length(0), b.Data(1), b.Length(1)));
}

// encapsulate(suiteId, publicKey, ciphertextOut, sharedSecretOut) -> status
Napi::Value Encapsulate(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  CallBuffers b(info, {{"publicKey", kIn}, {"ciphertext", kOut}, {"sharedSecret", kOut}});
  return b.Finish(info.Env(),
                  hybridkem_encapsulate(suite, b.Data(0), b.Length(0), b.Data(1), b.Length(1), b.Data(2), b.Length(2)));
}

// encapsulateDerand(suiteId, publicKey, randomness, ciphertextOut, sharedSecretOut) -> status
Napi::Value EncapsulateDerand(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  CallBuffers b(info, {{"publicKey", kIn}, {"randomness", kIn}, {"ciphertext", kOut}, {"sharedSecret", kOut}});
  return b.Finish(info.Env(), hybridkem_encapsulate_derand(suite, b.Data(0), b.Length(0), b.Data(1), b.Length(1), b.Data(2),
                                                           b.Length(2), b.Data(3), b.Length(3)));
}

// decapsulate(suiteId, privateKey, ciphertext, sharedSecretOut) -> status
Napi::Value Decapsulate(const Napi::CallbackInfo &info) {
  uint16_t suite = SuiteIdArg(info, 0);
  CallBuffers b(info, {{"privateKey", kIn}, {"ciphertext", kIn}, {"sharedSecret", kOut}});
  return b.Finish(info.Env(),
                  hybridkem_decapsulate(suite, b.Data(0), b.Length(0), b.Data(1), b.Length(1), b.Data(2), b.Length(2)));
}

// ---- Expanded private keys (hybridkem_private_key of the C ABI).
//
// A key is a JavaScript External wrapping a KeyBox, type-tagged so that no
// other External (or object) is ever taken for one. The box owns the C ABI's
// pointer: destroyPrivateKey frees (wipes) it at once and leaves the box
// holding NULL; the finalizer frees it when the External is collected
// without having been destroyed, and deletes the box. A destroyed key passed
// again reaches the core as NULL (HYBRIDKEM_ERR_NULL_POINTER), never as a
// dangling pointer.

const napi_type_tag kPrivateKeyTag = {0x9c1b6f0e3a8d4b21ULL, 0x5e7f2a4c81d36b90ULL};

struct KeyBox {
  hybridkem_private_key *key = nullptr;
};

// Keys imported and not yet freed, in this process (every addon instance):
// what the tests read to see that destroy() and the finalizer free keys.
std::atomic<int64_t> live_keys{0};

void FreeKey(KeyBox *box) {
  if (box->key == nullptr) return;
  hybridkem_private_key_free(&box->key);
  live_keys--;
}

void FinalizeKey(Napi::Env, KeyBox *box) {
  FreeKey(box);
  delete box;
}

KeyBox *KeyArg(const Napi::CallbackInfo &info, size_t index) {
  Napi::Env env = info.Env();
  bool tagged = false;
  if (info.Length() > index && info[index].IsExternal()) {
    if (napi_check_object_type_tag(env, info[index], &kPrivateKeyTag, &tagged) != napi_ok) tagged = false;
  }
  if (!tagged) throw Napi::TypeError::New(env, "privateKey: expected a key from importPrivateKey");
  return info[index].As<Napi::External<KeyBox>>().Data();
}

// importPrivateKey(suiteId, privateKey) -> key | status
Napi::Value ImportPrivateKey(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint16_t suite = SuiteIdArg(info, 0);
  CallBuffers b(info, {{"privateKey", kIn}});
  // The External (and its finalizer) exists before the key does, so the key
  // can never be left without an owner.
  Napi::External<KeyBox> external = Napi::External<KeyBox>::New(env, new KeyBox(), FinalizeKey);
  if (napi_type_tag_object(env, external, &kPrivateKeyTag) != napi_ok) {
    throw Napi::Error::New(env, "importPrivateKey: cannot tag the key");
  }
  int32_t status = hybridkem_private_key_import(suite, b.Data(0), b.Length(0), &external.Data()->key);
  if (status != HYBRIDKEM_OK) return b.Finish(env, status);
  live_keys++;
  return external;
}

// decapsulateWithKey(key, ciphertext, sharedSecretOut) -> status
Napi::Value DecapsulateWithKey(const Napi::CallbackInfo &info) {
  KeyBox *box = KeyArg(info, 0);
  CallBuffers b(info, {{"ciphertext", kIn}, {"sharedSecret", kOut}});
  return b.Finish(info.Env(), hybridkem_decapsulate_with_key(box->key, b.Data(0), b.Length(0), b.Data(1), b.Length(1)));
}

// destroyPrivateKey(key): wipes and frees the key now (idempotent).
Napi::Value DestroyPrivateKey(const Napi::CallbackInfo &info) {
  FreeKey(KeyArg(info, 0));
  return info.Env().Undefined();
}

// liveKeys() -> the number of imported keys not yet freed (for tests).
Napi::Value LiveKeys(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), static_cast<double>(live_keys.load()));
}

// ---- Signatures (the component primitives of @hybridkem/signing's
// SignatureBackend). Inputs are staged by CallBuffers like the KEM calls;
// verify returns a boolean on HYBRIDKEM_OK and the status number otherwise.

// A signature algorithm id: 44, 65, 87 (ML-DSA), 25519, 448 (EdDSA).
uint16_t AlgArg(const Napi::CallbackInfo &info) { return SuiteIdArg(info, 0); }

Napi::Value Verdict(Napi::Env env, CallBuffers &b, int32_t status, int32_t valid) {
  if (status != HYBRIDKEM_OK) return b.Finish(env, status);
  b.Finish(env, status);
  return Napi::Boolean::New(env, valid == 1);
}

// mldsaKeygen(alg, seed, publicKeyOut, secretKeyOut) -> status
Napi::Value MlDsaKeygen(const Napi::CallbackInfo &info) {
  uint16_t alg = AlgArg(info);
  CallBuffers b(info, {{"seed", kIn}, {"publicKey", kOut}, {"secretKey", kOut}});
  return b.Finish(info.Env(), hybridkem_mldsa_keygen(alg, b.NonNull(0), b.Length(0), b.NonNull(1), b.Length(1), b.NonNull(2), b.Length(2)));
}

// mldsaSign(alg, secretKey, message, context, rnd, signatureOut) -> status
Napi::Value MlDsaSign(const Napi::CallbackInfo &info) {
  uint16_t alg = AlgArg(info);
  CallBuffers b(info, {{"secretKey", kIn}, {"message", kIn}, {"context", kIn}, {"rnd", kIn}, {"signature", kOut}});
  return b.Finish(info.Env(), hybridkem_mldsa_sign(alg, b.NonNull(0), b.Length(0), b.NonNull(1), b.Length(1), b.NonNull(2), b.Length(2),
                                                   b.NonNull(3), b.Length(3), b.NonNull(4), b.Length(4)));
}

// mldsaVerify(alg, publicKey, message, signature, context) -> boolean | status
Napi::Value MlDsaVerify(const Napi::CallbackInfo &info) {
  uint16_t alg = AlgArg(info);
  CallBuffers b(info, {{"publicKey", kIn}, {"message", kIn}, {"signature", kIn}, {"context", kIn}});
  int32_t valid = 0;
  int32_t st = hybridkem_mldsa_verify(alg, b.NonNull(0), b.Length(0), b.NonNull(1), b.Length(1), b.NonNull(2), b.Length(2), b.NonNull(3),
                                      b.Length(3), &valid);
  return Verdict(info.Env(), b, st, valid);
}

// eddsaPublicKey(alg, privateKey, publicKeyOut) -> status
Napi::Value EdDsaPublicKey(const Napi::CallbackInfo &info) {
  uint16_t alg = AlgArg(info);
  CallBuffers b(info, {{"privateKey", kIn}, {"publicKey", kOut}});
  return b.Finish(info.Env(), hybridkem_eddsa_public_key(alg, b.NonNull(0), b.Length(0), b.NonNull(1), b.Length(1)));
}

// eddsaSign(alg, privateKey, message, signatureOut) -> status
Napi::Value EdDsaSign(const Napi::CallbackInfo &info) {
  uint16_t alg = AlgArg(info);
  CallBuffers b(info, {{"privateKey", kIn}, {"message", kIn}, {"signature", kOut}});
  return b.Finish(info.Env(), hybridkem_eddsa_sign(alg, b.NonNull(0), b.Length(0), b.NonNull(1), b.Length(1), b.NonNull(2), b.Length(2)));
}

// eddsaVerify(alg, publicKey, message, signature) -> boolean | status
Napi::Value EdDsaVerify(const Napi::CallbackInfo &info) {
  uint16_t alg = AlgArg(info);
  CallBuffers b(info, {{"publicKey", kIn}, {"message", kIn}, {"signature", kIn}});
  int32_t valid = 0;
  int32_t st = hybridkem_eddsa_verify(alg, b.NonNull(0), b.Length(0), b.NonNull(1), b.Length(1), b.NonNull(2), b.Length(2), &valid);
  return Verdict(info.Env(), b, st, valid);
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
  exports.Set("importPrivateKey", Napi::Function::New(env, ImportPrivateKey, "importPrivateKey"));
  exports.Set("decapsulateWithKey", Napi::Function::New(env, DecapsulateWithKey, "decapsulateWithKey"));
  exports.Set("destroyPrivateKey", Napi::Function::New(env, DestroyPrivateKey, "destroyPrivateKey"));
  exports.Set("liveKeys", Napi::Function::New(env, LiveKeys, "liveKeys"));
  exports.Set("mldsaKeygen", Napi::Function::New(env, MlDsaKeygen, "mldsaKeygen"));
  exports.Set("mldsaSign", Napi::Function::New(env, MlDsaSign, "mldsaSign"));
  exports.Set("mldsaVerify", Napi::Function::New(env, MlDsaVerify, "mldsaVerify"));
  exports.Set("eddsaPublicKey", Napi::Function::New(env, EdDsaPublicKey, "eddsaPublicKey"));
  exports.Set("eddsaSign", Napi::Function::New(env, EdDsaSign, "eddsaSign"));
  exports.Set("eddsaVerify", Napi::Function::New(env, EdDsaVerify, "eddsaVerify"));
  InitBatch(env, exports);
  return exports;
}

}  // namespace hybridkem_addon

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return hybridkem_addon::Init(env, exports); }

NODE_API_MODULE(hybridkem_native, InitModule)
