package dev.hybridkem.bench

import dev.hybridkem.HybridKem
import dev.hybridkem.Suite

/**
 * X-Wing through the Kotlin API (JNA direct mapping, fresh output arrays per
 * call), timed like native/src/bin/hybridkem-bench-core.rs: median of
 * per-call nanoTime samples after a warm-up, the same three C calls. Prints
 * one JSON line per op. Run by scripts/bench.sh; never asserts a speed.
 *   Bench [--iterations N] [--warmup N]
 */
fun main(args: Array<String>) {
    fun arg(name: String, default: Int) = args.indexOf(name).let { if (it >= 0) args[it + 1].toInt() else default }
    val iterations = arg("--iterations", 1000)
    val warmup = arg("--warmup", 1000) // JIT: the JVM needs more warm-up than Rust's 100
    val kem = HybridKem.forSuite(Suite.X_WING)
    val kp = kem.generateKeyPair()
    val rnd = ByteArray(Suite.X_WING.randomnessLength) { 0x5a }
    val ct = kem.encapsulate(kp.publicKey).ciphertext
    var sink = 0
    fun median(op: () -> ByteArray): Long {
        repeat(warmup) { sink += op()[0] }
        val samples = LongArray(iterations) {
            val t = System.nanoTime()
            sink += op()[0]
            System.nanoTime() - t
        }
        samples.sort()
        return samples[iterations / 2]
    }
    val results = listOf(
        "encapsulate" to median { kem.encapsulateDeterministic(kp.publicKey, rnd).ciphertext },
        "encapsulateRandom" to median { kem.encapsulate(kp.publicKey).ciphertext },
        "decapsulate" to median { kem.decapsulate(kp.privateKey, ct) },
    )
    for ((op, ns) in results) {
        println("{\"suite\":\"X-Wing\",\"op\":\"$op\",\"medianNs\":$ns,\"samples\":$iterations,\"lang\":\"kotlin\"}")
    }
    kp.wipe()
    if (sink == Int.MIN_VALUE) println() // keeps the results observable to the JIT
}
