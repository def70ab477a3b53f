package dev.hybridkem

/** The PQNoise handshake patterns of spec/TRANSPORT.md §6.1, by id. */
enum class ChannelPattern(val id: Int, val noiseName: String) {
    /** Anonymous initiator, responder's static key known in advance. */
    PQ_NK(1, "pqNK"),
    /** Initiator authenticated, responder's static key known in advance. */
    PQ_IK(2, "pqIK"),
    /** Both static keys learned in the handshake. */
    PQ_XX(3, "pqXX");

    companion object {
        fun byId(id: Int): ChannelPattern = entries.firstOrNull { it.id == id }
            ?: throw ChannelNegotiationException("pattern: unknown id $id")
    }
}

/** The AEADs of Noise §12 with their §6.1 ids. */
enum class ChannelCipher(val id: Int, val noiseName: String) {
    CHACHA_POLY(1, "ChaChaPoly"),
    AES_GCM(2, "AESGCM");

    companion object {
        fun byId(id: Int): ChannelCipher = entries.firstOrNull { it.id == id }
            ?: throw ChannelNegotiationException("cipher: unknown id $id")
    }
}

/** The hashes of Noise §12 with their §6.1 ids (Noise defines no SHA-384). */
enum class ChannelHash(val id: Int, val noiseName: String, val length: Int) {
    SHA256(1, "SHA256", 32),
    SHA512(2, "SHA512", 64);

    companion object {
        fun byId(id: Int): ChannelHash = entries.firstOrNull { it.id == id }
            ?: throw ChannelNegotiationException("hash: unknown id $id")
    }
}

/** The key-exchange modes of spec/TRANSPORT.md §6.2: each is a set of suites. */
enum class KeyExchangeMode(val id: Int) {
    CLASSICAL(1), HYBRID(2), PQ_ONLY(3);

    companion object {
        /** §6.2's table: DHKEM is classical, ML-KEM alone is pq-only, every other suite is hybrid. */
        fun of(suite: Suite): KeyExchangeMode = when (suite) {
            Suite.DHKEM_X25519_HKDF_SHA256 -> CLASSICAL
            Suite.ML_KEM_768, Suite.ML_KEM_1024 -> PQ_ONLY
            else -> HYBRID
        }

        fun byId(id: Int): KeyExchangeMode = entries.firstOrNull { it.id == id }
            ?: throw ChannelNegotiationException("mode: unknown id $id")
    }
}

/**
 * One offer entry of spec/TRANSPORT.md §6.4 (version 1): the mode follows from
 * the suite. [encode] gives its 6 bytes: version ‖ mode ‖ suite (2, big-endian) ‖ cipher ‖ hash.
 */
data class ChannelParameters(val suite: Suite, val cipher: ChannelCipher, val hash: ChannelHash) {
    val mode: KeyExchangeMode get() = KeyExchangeMode.of(suite)

    fun encode(): ByteArray = byteArrayOf(
        VERSION.toByte(), mode.id.toByte(), (suite.id ushr 8).toByte(), suite.id.toByte(), cipher.id.toByte(), hash.id.toByte(),
    )

    /** Noise §8's protocol name, the KEM section being the suite name without '-' (§6.1). */
    fun protocolName(pattern: ChannelPattern): String =
        "Noise_${pattern.noiseName}_${suite.suiteName.replace("-", "")}_${cipher.noiseName}_${hash.noiseName}"

    override fun toString() = "${suite.suiteName}/${cipher.noiseName}/${hash.noiseName}"

    companion object {
        /** The channel protocol's version (§6.4). */
        const val VERSION = 1
        const val ENCODED_LENGTH = 6

        /** Decodes one entry the library reports (hybridkem_channel_info); checks every field. */
        fun decode(b: ByteArray): ChannelParameters {
            if (b.size != ENCODED_LENGTH || b[0].toInt() != VERSION) throw ChannelNegotiationException("entry: not a version-1 entry")
            val p = ChannelParameters(
                Suite.byId(((b[2].toInt() and 0xff) shl 8) or (b[3].toInt() and 0xff)),
                ChannelCipher.byId(b[4].toInt() and 0xff), ChannelHash.byId(b[5].toInt() and 0xff),
            )
            if (p.mode.id != (b[1].toInt() and 0xff)) throw ChannelNegotiationException("entry: mode does not match the suite")
            return p
        }
    }
}

/** A peer's static public key, for a suite. Public: no secret here. */
class ChannelPeerKey(val suite: Suite, publicKey: ByteArray) {
    val publicKey: ByteArray = publicKey.copyOf()

    init { expectLength("remoteStaticKey", publicKey, suite.publicKeyLength) }

    override fun toString() = "ChannelPeerKey(${suite.suiteName}, ${publicKey.size} bytes)"
}

/**
 * What a channel side runs with (spec/TRANSPORT.md §6.5's rules):
 * - `staticKeys`: our static key pairs (needed by a responder, a pqIK or pqXX initiator); the arrays are not copied;
 * - `remoteStaticKeys`: the peer's static public keys — an initiator needs them for pqNK and pqIK; otherwise,
 *   when given for a suite, the key the peer must present (else [ChannelPeerKeyException]);
 * - `pattern` (initiator): default pqIK when it has both keys for a suite, pqNK with only the peer's, pqXX with only its own;
 * - `patterns` (responder): the ones it accepts;
 * - `ciphers`, `hashes`: in preference order; the entries are every usable suite (in key order) × ciphers × hashes,
 *   at most 16 (§6.4);
 * - `handshakeTimeoutMillis`: a socket [Channel] fails with [ChannelHandshakeException] when the handshake takes longer (0 = never).
 */
class ChannelOptions(
    val staticKeys: List<KeyPair> = emptyList(),
    val remoteStaticKeys: List<ChannelPeerKey> = emptyList(),
    val pattern: ChannelPattern? = null,
    val patterns: Set<ChannelPattern> = ChannelPattern.entries.toSet(),
    val ciphers: List<ChannelCipher> = listOf(ChannelCipher.CHACHA_POLY, ChannelCipher.AES_GCM),
    val hashes: List<ChannelHash> = listOf(ChannelHash.SHA256),
    val handshakeTimeoutMillis: Int = 30_000,
) {
    /** The initiator's pattern: the given one, else the strongest the keys allow. */
    internal fun initiatorPattern(): ChannelPattern = pattern ?: run {
        val own = staticKeys.map { it.suite }.toSet()
        val peer = remoteStaticKeys.map { it.suite }.toSet()
        when {
            own.any { it in peer } -> ChannelPattern.PQ_IK
            peer.isNotEmpty() -> ChannelPattern.PQ_NK
            own.isNotEmpty() -> ChannelPattern.PQ_XX
            else -> throw ChannelNegotiationException("options: no static key given (a pqNK initiator needs the responder's)")
        }
    }

    /** §6.5: the suites whose keys this side holds for `pattern` (initiator) or as responder, in key order. */
    internal fun usableSuites(initiator: Boolean, pattern: ChannelPattern?): List<Suite> {
        val own = staticKeys.map { it.suite }
        val peer = remoteStaticKeys.map { it.suite }
        val suites = when {
            !initiator -> own
            pattern == ChannelPattern.PQ_NK -> peer
            pattern == ChannelPattern.PQ_IK -> own.filter { it in peer }
            else -> own
        }
        return suites.distinct()
    }

    internal fun entries(suites: List<Suite>): List<ChannelParameters> {
        val list = suites.flatMap { s -> ciphers.flatMap { c -> hashes.map { h -> ChannelParameters(s, c, h) } } }
        if (list.isEmpty()) throw ChannelNegotiationException("options: no parameters to offer (no usable key, cipher or hash)")
        if (list.size > MAX_ENTRIES) throw ChannelNegotiationException("options: ${list.size} entries, at most $MAX_ENTRIES")
        return list
    }

    internal companion object {
        /** §6.4: an offer holds 1..16 entries. */
        const val MAX_ENTRIES = 16
    }
}

/**
 * What the handshake established: parameters, Noise handshake hash, the peer's static key (if the pattern has one).
 * `pattern` is the one that ran, as the C ABI reports it (hybridkem_channel_pattern); nullable for compatibility only.
 */
class ChannelInfo(
    val pattern: ChannelPattern?,
    val parameters: ChannelParameters,
    handshakeHash: ByteArray,
    remoteStatic: ByteArray?,
) {
    private val hash = handshakeHash.copyOf()
    private val remote = remoteStatic?.copyOf()
    val handshakeHash: ByteArray get() = hash.copyOf()
    val remoteStatic: ByteArray? get() = remote?.copyOf()
    override fun toString() = "ChannelInfo(${pattern?.noiseName ?: "pattern unknown"}, $parameters)"
}
