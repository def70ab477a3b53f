// A Kotlin (JVM) client of examples/node-service. The Kotlin binding has the KEM and the
// wire format but not HPKE, so instead of sealing it proves that both sides agree on a
// shared secret (key confirmation, NIST SP 800-56A Rev. 3 §5.9):
//   GET /v1/public-key -> check the key id -> encapsulate -> POST /v1/kem -> check the HMAC.
// Usage: java -cp ... ClientKt --url http://127.0.0.1:8080
// Prints "key confirmed with <keyId> (<suite>)"; on any failure one line on stderr and exit 1.
import dev.hybridkem.Armor
import dev.hybridkem.HybridKem
import dev.hybridkem.HybridKemException
import dev.hybridkem.Kind
import dev.hybridkem.KemWire
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.MessageDigest
import java.time.Duration
import java.util.Base64
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.system.exitProcess

/** A failure of the exchange; its message never holds key or secret bytes. */
class ClientException(message: String) : Exception(message)

// The label of design.md's /v1/kem: it binds the MAC to this protocol and this use.
private val KEY_CONFIRMATION_LABEL = "hybridkem-example/v1/key-confirmation".toByteArray(Charsets.UTF_8)
private val TIMEOUT: Duration = Duration.ofSeconds(10)   // every request is bounded
private const val MAX_RESPONSE_CHARS = 16384             // an armored key or a small JSON object

fun main(args: Array<String>) {
    val url = if (args.size == 2 && args[0] == "--url") args[1].trimEnd('/') else {
        System.err.println("usage: ClientKt --url URL"); exitProcess(2)
    }
    try {
        println(run(url))
    } catch (e: HybridKemException) {
        System.err.println("kotlin-client: ${e.code}: ${e.message}"); exitProcess(1)
    } catch (e: ClientException) {
        System.err.println("kotlin-client: ${e.message}"); exitProcess(1)
    } catch (e: java.io.IOException) {
        System.err.println("kotlin-client: request failed: ${e.message ?: e.javaClass.simpleName}"); exitProcess(1)
    }
}

fun run(url: String): String {
    val http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()

    // 1. The service's public key, dearmored strictly and decoded as a public key object
    //    (decodePublicKey also checks the ML-KEM modulus and the X25519 point).
    val keyResponse = send(http, HttpRequest.newBuilder(URI.create("$url/v1/public-key")).GET())
    val (kind, encoded) = Armor.dearmor(keyResponse.body())
    if (kind != Kind.PUBLIC_KEY) throw ClientException("the service sent a ${kind.name} object, not a public key")
    val pub = KemWire.decodePublicKey(encoded)

    // 2. The key id computed here must equal the one the service announces: a key swapped
    //    in transit (or a misconfigured service) is refused before any use.
    val keyId = KemWire.keyId(KemWire.encodePublicKey(pub.suite, pub.body))
    val announced = keyResponse.headers().firstValue("x-hybridkem-key-id").orElse(null)
    if (announced != keyId) throw ClientException("key id mismatch: the service announced ${announced ?: "none"}, its key has $keyId")

    // 3. Encapsulate to it and send the armored ciphertext object.
    val enc = HybridKem.forSuite(pub.suite).encapsulate(pub.body)
    try {
        val ciphertextObject = KemWire.encodeCiphertext(pub.suite, enc.ciphertext)
        val answer = send(http, HttpRequest.newBuilder(URI.create("$url/v1/kem"))
            .header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(Armor.armor(ciphertextObject)))).body()
        // The answer is {"keyId": hex, "confirmation": base64}: values without escapes, so two
        // anchored patterns read it without a JSON library on the class path.
        val answeredKeyId = Regex("\"keyId\"\\s*:\\s*\"([0-9a-f]+)\"").find(answer)?.groupValues?.get(1)
        val confirmation = Regex("\"confirmation\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"").find(answer)?.groupValues?.get(1)
            ?: throw ClientException("the /v1/kem answer lacks a confirmation")
        if (answeredKeyId != keyId) throw ClientException("the /v1/kem answer names another key id")
        val received = try { Base64.getDecoder().decode(confirmation) } catch (e: IllegalArgumentException) {
            throw ClientException("the confirmation is not base64")
        }

        // 4. HMAC-SHA256(key = shared secret, data = label || ciphertext object's wire bytes).
        val mac = Mac.getInstance("HmacSHA256")
        mac.init(SecretKeySpec(enc.sharedSecret, "HmacSHA256"))
        mac.update(KEY_CONFIRMATION_LABEL)
        val expected = mac.doFinal(ciphertextObject)
        // MessageDigest.isEqual runs in time independent of where the arrays differ (JDK 6u17+).
        if (!MessageDigest.isEqual(expected, received)) {
            throw ClientException("key confirmation failed: the service did not derive the same shared secret")
        }
        return "key confirmed with $keyId (${pub.suite.suiteName})"
    } finally {
        enc.wipe()   // zeroes the shared secret (SecretKeySpec keeps its own copy until collected)
    }
}

/** One bounded exchange; a non-2xx answer becomes the service's error code and message. */
private fun send(http: HttpClient, builder: HttpRequest.Builder): HttpResponse<String> {
    val request = builder.timeout(TIMEOUT).build()
    val response = try { http.send(request, HttpResponse.BodyHandlers.ofString()) } catch (e: InterruptedException) {
        throw ClientException("interrupted")
    }
    if (response.body().length > MAX_RESPONSE_CHARS) throw ClientException("response larger than $MAX_RESPONSE_CHARS characters")
    if (response.statusCode() !in 200..299) {
        val code = Regex("\"code\"\\s*:\\s*\"(ERR_[A-Z_]+)\"").find(response.body())?.groupValues?.get(1) ?: "no error code"
        throw ClientException("${request.method()} ${request.uri().path}: HTTP ${response.statusCode()} $code")
    }
    return response
}
