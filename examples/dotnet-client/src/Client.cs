// A .NET (mono, C# 7) client of examples/node-service. The C# binding has the KEM and the
// wire format but not HPKE, so instead of sealing it proves that both sides agree on a
// shared secret (key confirmation, NIST SP 800-56A Rev. 3 §5.9):
//   GET /v1/public-key -> check the key id -> encapsulate -> POST /v1/kem -> check the HMAC.
// Usage: mono Client.exe --url http://127.0.0.1:8080
// Prints "key confirmed with <keyId> (<suite>)"; on any failure one line on stderr and exit 1.
using System;
using System.IO;
using System.Json;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HybridKem;

namespace HybridKemExample
{
    /// <summary>A failure of the exchange; its message never holds key or secret bytes.</summary>
    sealed class ClientException : Exception
    {
        public ClientException(string message) : base(message) { }
    }

    static class Client
    {
        // The label of design.md's /v1/kem: it binds the MAC to this protocol and this use.
        static readonly byte[] KeyConfirmationLabel = Encoding.UTF8.GetBytes("hybridkem-example/v1/key-confirmation");
        const int TimeoutMs = 10000;              // every request is bounded
        const int MaxResponseChars = 16384;       // an armored key or a small JSON object; nothing bigger is expected

        static int Main(string[] args)
        {
            string url = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--url" && i + 1 < args.Length) url = args[++i];
                else { Console.Error.WriteLine("usage: Client.exe --url URL"); return 2; }
            }
            if (url == null) { Console.Error.WriteLine("usage: Client.exe --url URL"); return 2; }
            try
            {
                Console.WriteLine(Run(url.TrimEnd('/')));
                return 0;
            }
            catch (HybridKemException e) { Console.Error.WriteLine("dotnet-client: " + e.Message); }
            catch (ClientException e) { Console.Error.WriteLine("dotnet-client: " + e.Message); }
            catch (WebException e) { Console.Error.WriteLine("dotnet-client: request failed: " + e.Message); }
            return 1;
        }

        static string Run(string url)
        {
            // 1. The service's public key, dearmored strictly as a public key object.
            string headerKeyId;
            string armoredKey = Request(url + "/v1/public-key", "GET", null, null, out headerKeyId);
            WireObject pub = Armor.DecodeObject(armoredKey, Kind.PublicKey);
            var suite = (Suite)pub.SuiteId;
            string suiteName = SuiteInfo.Of(suite).Name;

            // 2. The key id computed here must equal the one the service announces: a key
            //    swapped in transit (or a misconfigured service) is refused before any use.
            string keyId = WireFormat.KeyId(WireFormat.Encode(Kind.PublicKey, pub.SuiteId, pub.Body));
            if (headerKeyId == null || !string.Equals(headerKeyId, keyId, StringComparison.Ordinal))
                throw new ClientException("key id mismatch: the service announced " + (headerKeyId ?? "none") + ", its key has " + keyId);

            // 3. Encapsulate to it and send the armored ciphertext object.
            using (Encapsulation enc = Kem.Encapsulate(suite, pub.Body))
            {
                byte[] ciphertextObject = WireFormat.Encode(Kind.Ciphertext, pub.SuiteId, enc.Ciphertext);
                string ignored;
                string json = Request(url + "/v1/kem", "POST", "text/plain", Armor.Encode(ciphertextObject), out ignored);

                JsonValue answer;
                try { answer = JsonValue.Parse(json); }
                catch (Exception) { throw new ClientException("the /v1/kem answer is not JSON"); }
                if (answer.JsonType != JsonType.Object || !answer.ContainsKey("keyId") || !answer.ContainsKey("confirmation")
                    || answer["keyId"].JsonType != JsonType.String || answer["confirmation"].JsonType != JsonType.String)
                    throw new ClientException("the /v1/kem answer lacks keyId or confirmation");
                if ((string)answer["keyId"] != keyId)
                    throw new ClientException("the /v1/kem answer names another key id");
                byte[] received;
                try { received = Convert.FromBase64String((string)answer["confirmation"]); }
                catch (FormatException) { throw new ClientException("the confirmation is not base64"); }

                // 4. HMAC-SHA256(key = shared secret, data = label || ciphertext object's wire bytes).
                byte[] data = new byte[KeyConfirmationLabel.Length + ciphertextObject.Length];
                Buffer.BlockCopy(KeyConfirmationLabel, 0, data, 0, KeyConfirmationLabel.Length);
                Buffer.BlockCopy(ciphertextObject, 0, data, KeyConfirmationLabel.Length, ciphertextObject.Length);
                byte[] secret = enc.SharedSecret.ToArray();
                byte[] expected;
                try { using (var hmac = new HMACSHA256(secret)) expected = hmac.ComputeHash(data); }
                finally { Array.Clear(secret, 0, secret.Length); }   // the copy is wiped; enc's is wiped on Dispose

                if (!ConstantTimeEquals(expected, received))
                    throw new ClientException("key confirmation failed: the service did not derive the same shared secret");
                return "key confirmed with " + keyId + " (" + suiteName + ")";
            }
        }

        /// <summary>Compares two MACs in time independent of where they differ, so a forger
        /// learns nothing byte by byte. CryptographicOperations.FixedTimeEquals is .NET Core
        /// 2.1+ only and not in mono, hence the XOR-accumulate loop (length is public).</summary>
        static bool ConstantTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }

        /// <summary>One bounded HTTP exchange; a non-2xx answer becomes the service's error code and message.</summary>
        static string Request(string url, string method, string contentType, string body, out string keyIdHeader)
        {
            var req = (HttpWebRequest)WebRequest.Create(url);
            req.Method = method;
            req.Timeout = TimeoutMs;
            req.ReadWriteTimeout = TimeoutMs;
            if (body != null)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(body);
                req.ContentType = contentType;
                req.ContentLength = bytes.Length;
                using (Stream s = req.GetRequestStream()) s.Write(bytes, 0, bytes.Length);
            }
            HttpWebResponse res;
            try { res = (HttpWebResponse)req.GetResponse(); }
            catch (WebException e)
            {
                var r = e.Response as HttpWebResponse;
                if (r == null) throw;
                using (r) throw new ClientException(method + " " + req.RequestUri.AbsolutePath + ": HTTP " + (int)r.StatusCode + " " + ErrorOf(ReadBounded(r)));
            }
            using (res)
            {
                keyIdHeader = res.Headers["x-hybridkem-key-id"];
                return ReadBounded(res);
            }
        }

        static string ReadBounded(HttpWebResponse res)
        {
            using (var reader = new StreamReader(res.GetResponseStream(), Encoding.UTF8))
            {
                var buffer = new char[MaxResponseChars + 1];
                int n = 0, got;
                while (n < buffer.Length && (got = reader.Read(buffer, n, buffer.Length - n)) > 0) n += got;
                if (n > MaxResponseChars) throw new ClientException("response larger than " + MaxResponseChars + " characters");
                return new string(buffer, 0, n);
            }
        }

        /// <summary>"ERR_X: message" from the service's {"error": {...}} body, if it is one.</summary>
        static string ErrorOf(string text)
        {
            try
            {
                var e = JsonValue.Parse(text)["error"];
                return (string)e["code"] + ": " + (string)e["message"];
            }
            catch (Exception) { return "(no error body)"; }
        }
    }
}
