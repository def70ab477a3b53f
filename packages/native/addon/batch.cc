// The asynchronous surface: batches of encapsulations or decapsulations run
// on the libuv thread pool (Napi::AsyncWorker), so a server's event loop stays
// free while they run. Inputs are copied into C++-owned buffers on the
// JavaScript thread before the work starts (the caller may reuse or detach its
// buffers meanwhile); results are copied into fresh Uint8Arrays back on the
// JavaScript thread. Every secret held in a C++ buffer (private key,
// randomness, shared secrets) is wiped as soon as it has been handed over, and
// on every other path (WipedBytes), on success and failure alike.
//
// A failure rejects with an Error carrying `status` (the C ABI's code),
// `statusName` and `index` (the batch item, or -1); src/batch.ts maps it to a
// typed error of @hybridkem/core.
#include "common.h"

namespace hybridkem_addon {
namespace {

hybridkem_suite_info SuiteInfo(uint16_t suite, int32_t *status) {
  hybridkem_suite_info s{};
  s.struct_size = sizeof s;
  *status = hybridkem_suite_info_get(suite, &s);
  return s;
}

Napi::Error StatusError(Napi::Env env, int32_t status, int64_t index) {
  Napi::Error e = Napi::Error::New(env, std::string("hybridkem native core: ") + hybridkem_status_name(status) +
                                            (index >= 0 ? " at item " + std::to_string(index) : ""));
  e.Set("status", Napi::Number::New(env, status));
  e.Set("statusName", Napi::String::New(env, hybridkem_status_name(status)));
  e.Set("index", Napi::Number::New(env, static_cast<double>(index)));
  return e;
}

Napi::Value Rejected(Napi::Env env, int32_t status, int64_t index) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(StatusError(env, status, index).Value());
  return deferred.Promise();
}

class BatchWorker : public Napi::AsyncWorker {
 public:
  BatchWorker(Napi::Env env, uint16_t suite, const hybridkem_suite_info &info)
      : Napi::AsyncWorker(env, "hybridkem:batch"), deferred_(Napi::Promise::Deferred::New(env)), suite_(suite), info_(info) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  // A failed item is recorded here, not through SetError: the promise is
  // settled by Settle() alone, so node-addon-api's own error path (which
  // creates a JavaScript Error) never runs.
  void Fail(int32_t status, size_t index) {
    status_ = status;
    index_ = static_cast<int64_t>(index);
  }

  void OnOK() override { Settle(); }

  // Only reached if Execute threw, which it cannot (it calls the C ABI alone).
  void OnError(const Napi::Error &) override {
    if (status_ == HYBRIDKEM_OK) status_ = HYBRIDKEM_ERR_INTERNAL;
    Settle();
  }

  // Resolves or rejects the promise, then wipes the secrets. When the
  // environment is shutting down (worker.terminate() while the batch ran), Node
  // still calls this but refuses every call into JavaScript, and
  // node-addon-api reports that by throwing Napi::Error; an exception leaving
  // this callback is rethrown by node-addon-api's details::WrapCallback and
  // reaches std::terminate, aborting the whole process (node-addon-api 8.9.2
  // napi-inl.h, AsyncWorker::OnWorkComplete), so every exception stops here.
  void Settle() noexcept {
    try {
      if (status_ == HYBRIDKEM_OK) {
        deferred_.Resolve(Result(Env()));
      } else {
        deferred_.Reject(StatusError(Env(), status_, index_).Value());
      }
    } catch (const Napi::Error &e) {
      // A live environment that failed to build the result (e.g. out of
      // memory): reject with that error. A dying one cannot be told anything.
      try {
        deferred_.Reject(e.Value());
      } catch (...) {
      }
    } catch (...) {
      try {
        deferred_.Reject(Napi::Error::New(Env(), "hybridkem native core: the batch result could not be built").Value());
      } catch (...) {
      }
    }
    WipeSecrets();
  }

  // The batch's results as JavaScript values (only called on success).
  virtual Napi::Value Result(Napi::Env env) = 0;
  virtual void WipeSecrets() = 0;

  Napi::Promise::Deferred deferred_;
  uint16_t suite_;
  hybridkem_suite_info info_;
  int32_t status_ = HYBRIDKEM_OK;  // or the first failing item's status (Fail)
  int64_t index_ = -1;
};

// encapsulateBatch(suiteId, publicKeys[], randomness[] | undefined)
//   -> Promise<{ ciphertext, sharedSecret }[]>
// Without randomness each item draws its own from the OS CSPRNG (the core's
// hybridkem_encapsulate); with it (test vectors), item i uses randomness[i].
class EncapsulateBatch final : public BatchWorker {
 public:
  EncapsulateBatch(Napi::Env env, uint16_t suite, const hybridkem_suite_info &info, std::vector<WipedBytes> pks,
                   std::vector<WipedBytes> randomness)
      : BatchWorker(env, suite, info),
        pks_(std::move(pks)),
        randomness_(std::move(randomness)),
        ciphertexts_(pks_.size() * info.ciphertext_len),
        secrets_(pks_.size() * info.shared_secret_len) {}

 protected:
  void Execute() override {
    const size_t ctLen = info_.ciphertext_len;
    const size_t ssLen = info_.shared_secret_len;
    for (size_t i = 0; i < pks_.size(); i++) {
      const WipedBytes &pk = pks_[i];
      int32_t st = randomness_.empty()
                       ? hybridkem_encapsulate(suite_, pk.data(), pk.size(), &ciphertexts_[i * ctLen], ctLen,
                                               &secrets_[i * ssLen], ssLen)
                       : hybridkem_encapsulate_derand(suite_, pk.data(), pk.size(), randomness_[i].data(),
                                                      randomness_[i].size(), &ciphertexts_[i * ctLen], ctLen,
                                                      &secrets_[i * ssLen], ssLen);
      if (st != HYBRIDKEM_OK) return Fail(st, i);
    }
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Array out = Napi::Array::New(env, pks_.size());
    const size_t ctLen = info_.ciphertext_len;
    const size_t ssLen = info_.shared_secret_len;
    for (size_t i = 0; i < pks_.size(); i++) {
      Napi::Object item = Napi::Object::New(env);
      item.Set("ciphertext", NewBytes(env, &ciphertexts_[i * ctLen], ctLen));
      item.Set("sharedSecret", NewBytes(env, &secrets_[i * ssLen], ssLen));
      out.Set(static_cast<uint32_t>(i), item);
    }
    return out;
  }

  void WipeSecrets() override {
    Wipe(secrets_);
    for (auto &r : randomness_) Wipe(r);
  }

 private:
  std::vector<WipedBytes> pks_;
  std::vector<WipedBytes> randomness_;
  std::vector<uint8_t> ciphertexts_;
  WipedBytes secrets_;
};

// decapsulateBatch(suiteId, privateKey, ciphertexts[]) -> Promise<Uint8Array[]>
// One private key, many ciphertexts: a server decapsulating what its clients sent.
class DecapsulateBatch final : public BatchWorker {
 public:
  DecapsulateBatch(Napi::Env env, uint16_t suite, const hybridkem_suite_info &info, WipedBytes sk, std::vector<WipedBytes> cts)
      : BatchWorker(env, suite, info), sk_(std::move(sk)), cts_(std::move(cts)), secrets_(cts_.size() * info.shared_secret_len) {}

 protected:
  void Execute() override {
    const size_t ssLen = info_.shared_secret_len;
    for (size_t i = 0; i < cts_.size(); i++) {
      int32_t st = hybridkem_decapsulate(suite_, sk_.data(), sk_.size(), cts_[i].data(), cts_[i].size(), &secrets_[i * ssLen], ssLen);
      if (st != HYBRIDKEM_OK) return Fail(st, i);
    }
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Array out = Napi::Array::New(env, cts_.size());
    const size_t ssLen = info_.shared_secret_len;
    for (size_t i = 0; i < cts_.size(); i++) out.Set(static_cast<uint32_t>(i), NewBytes(env, &secrets_[i * ssLen], ssLen));
    return out;
  }

  void WipeSecrets() override {
    Wipe(sk_);
    Wipe(secrets_);
  }

 private:
  WipedBytes sk_;
  std::vector<WipedBytes> cts_;
  WipedBytes secrets_;
};

Napi::Value EncapsulateBatchFn(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint16_t suite = SuiteIdArg(info, 0);
  std::vector<WipedBytes> pks = CopyBytesArray(env, info[1], "publicKeys");
  std::vector<WipedBytes> randomness;
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    randomness = CopyBytesArray(env, info[2], "randomness");
    if (randomness.size() != pks.size()) throw Napi::TypeError::New(env, "randomness: expected one Uint8Array per public key");
  }
  int32_t status = HYBRIDKEM_OK;
  hybridkem_suite_info s = SuiteInfo(suite, &status);
  if (status != HYBRIDKEM_OK) return Rejected(env, status, -1);
  auto *worker = new EncapsulateBatch(env, suite, s, std::move(pks), std::move(randomness));
  Napi::Promise promise = worker->Promise();
  worker->Queue();  // the worker deletes itself after OnOK / OnError
  return promise;
}

Napi::Value DecapsulateBatchFn(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint16_t suite = SuiteIdArg(info, 0);
  // The key is copied before the array is read: an element getter could
  // detach or resize the key's buffer.
  WipedBytes sk = CopyBytesArg(info, 1, "privateKey");
  std::vector<WipedBytes> cts = CopyBytesArray(env, info[2], "ciphertexts");
  int32_t status = HYBRIDKEM_OK;
  hybridkem_suite_info s = SuiteInfo(suite, &status);
  if (status != HYBRIDKEM_OK) return Rejected(env, status, -1);
  auto *worker = new DecapsulateBatch(env, suite, s, std::move(sk), std::move(cts));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

void InitBatch(Napi::Env env, Napi::Object exports) {
  exports.Set("encapsulateBatch", Napi::Function::New(env, EncapsulateBatchFn, "encapsulateBatch"));
  exports.Set("decapsulateBatch", Napi::Function::New(env, DecapsulateBatchFn, "decapsulateBatch"));
}

}  // namespace hybridkem_addon
