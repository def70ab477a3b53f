// A Kotlin (JVM) client of the Noise channel (spec/TRANSPORT.md §6) through the Kotlin binding,
// which runs the channel in the native core: like `nc`, it carries stdin to the server and the
// server's authenticated data to stdout, both ways at once, until both sides closed.
// Usage: java -cp ... ChannelClientKt --connect HOST:PORT --server-key FILE.pub [--key FILE]
//                                     [--cipher ChaChaPoly|AESGCM] [--hash SHA256|SHA512]
//   --server-key: the server's armored public key (pinned: pqNK); --key: our armored private key (pqIK).
// On stderr one line after the handshake: "kotlin-channel-client: <protocol name> handshake hash <hex>".
// On any failure one line "kotlin-channel-client: <ERR_CODE>: <message>" and exit 1 (usage: exit 2);
// nothing that did not authenticate is ever written to stdout.
import dev.hybridkem.Armor
import dev.hybridkem.Channel
import dev.hybridkem.ChannelCipher
import dev.hybridkem.ChannelHash
import dev.hybridkem.ChannelOptions
import dev.hybridkem.ChannelPeerKey
import dev.hybridkem.HybridKem
import dev.hybridkem.HybridKemException
import dev.hybridkem.KemWire
import dev.hybridkem.KeyPair
import dev.hybridkem.Kind
import java.io.File
import java.io.IOException
import java.net.InetSocketAddress
import java.net.Socket
import java.util.HexFormat
import kotlin.system.exitProcess

private const val NAME = "kotlin-channel-client"
private const val CONNECT_TIMEOUT_MS = 10_000
private const val MAX_KEY_FILE = 16_384 // an armored key: a few KiB

fun main(args: Array<String>) {
    val opts = parseArgs(args) ?: run {
        System.err.println("usage: ChannelClientKt --connect HOST:PORT --server-key FILE [--key FILE] [--cipher C] [--hash H]")
        exitProcess(2)
    }
    try {
        runClient(opts)
    } catch (e: HybridKemException) {
        System.err.println("$NAME: ${e.code}: ${e.message}"); exitProcess(1)
    } catch (e: IOException) {
        System.err.println("$NAME: ERR_IO: ${e.javaClass.simpleName}"); exitProcess(1)
    }
    exitProcess(0)
}

private fun parseArgs(args: Array<String>): Map<String, String>? {
    if (args.size % 2 != 0) return null
    val m = args.toList().chunked(2).associate { (k, v) -> k to v }
    if (m.keys.any { it !in setOf("--connect", "--server-key", "--key", "--cipher", "--hash") }) return null
    if ("--connect" !in m || "--server-key" !in m) return null
    return m
}

private fun readArmored(path: String, kind: Kind): Pair<dev.hybridkem.Suite, ByteArray> {
    val file = File(path)
    if (file.length() > MAX_KEY_FILE) throw IOException("key file over $MAX_KEY_FILE bytes")
    val (k, encoded) = Armor.dearmor(file.readText(Charsets.US_ASCII))
    if (k != kind) throw dev.hybridkem.InvalidArgumentException(path, "holds a ${k.name}, not a ${kind.name}")
    val obj = if (kind == Kind.PUBLIC_KEY) KemWire.decodePublicKey(encoded) else KemWire.decodePrivateKey(encoded)
    encoded.fill(0)
    return obj.suite to obj.body
}

private fun runClient(opts: Map<String, String>) {
    val (host, port) = opts.getValue("--connect").let { hp ->
        val at = hp.lastIndexOf(':')
        if (at <= 0) throw dev.hybridkem.InvalidArgumentException("--connect", "not HOST:PORT")
        hp.substring(0, at) to (hp.substring(at + 1).toIntOrNull() ?: throw dev.hybridkem.InvalidArgumentException("--connect", "bad port"))
    }
    val (serverSuite, serverKey) = readArmored(opts.getValue("--server-key"), Kind.PUBLIC_KEY)
    val own: KeyPair? = opts["--key"]?.let { path ->
        val (suite, sk) = readArmored(path, Kind.PRIVATE_KEY)
        KeyPair(suite, sk, HybridKem.forSuite(suite).derivePublicKey(sk))
    }
    val options = ChannelOptions(
        staticKeys = listOfNotNull(own),
        remoteStaticKeys = listOf(ChannelPeerKey(serverSuite, serverKey)),
        ciphers = opts["--cipher"]?.let { c -> listOf(ChannelCipher.entries.firstOrNull { it.noiseName == c } ?: throw dev.hybridkem.InvalidArgumentException("--cipher", "unknown")) }
            ?: listOf(ChannelCipher.CHACHA_POLY, ChannelCipher.AES_GCM),
        hashes = opts["--hash"]?.let { h -> listOf(ChannelHash.entries.firstOrNull { it.noiseName == h } ?: throw dev.hybridkem.InvalidArgumentException("--hash", "unknown")) }
            ?: listOf(ChannelHash.SHA256),
    )
    val socket = Socket()
    try {
        socket.connect(InetSocketAddress(host, port), CONNECT_TIMEOUT_MS)
    } catch (e: IOException) {
        socket.close(); throw e
    }
    Channel.connect(socket, options).use { ch ->
        own?.wipe()
        val info = ch.info
        System.err.println("$NAME: ${info.parameters.protocolName(info.pattern!!)} handshake hash ${HexFormat.of().formatHex(info.handshakeHash)}")
        // stdin → channel on its own thread, then our close (a half-close: the server may go on sending).
        var sendError: Exception? = null
        val sender = Thread {
            try {
                val buf = ByteArray(65518)
                while (true) {
                    val n = System.`in`.read(buf)
                    if (n < 0) break
                    ch.send(buf, 0, n)
                }
                ch.shutdownOutput()
            } catch (e: Exception) {
                sendError = e
            }
        }.apply { isDaemon = true; start() }
        // channel → stdout: authenticated data only, until the server's close.
        val out = System.out
        while (true) {
            val chunk = ch.receive() ?: break
            out.write(chunk)
        }
        out.flush()
        sender.join()
        sendError?.let { throw it }
    }
}
