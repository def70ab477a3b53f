package dev.hybridkem

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.DynamicTest
import java.io.File

/**
 * The one loader of every vector file the tests read (spec/vectors and the
 * published ../shared/vectors), as JSON trees: no serialization compiler plugin needed.
 */
object Vectors {
    /** spec/vectors: -Dhybridkem.vectors=DIR, else the repository's, relative to this module. */
    val dir: File = File(System.getProperty("hybridkem.vectors") ?: "../../../spec/vectors").canonicalFile

    /**
     * The published third-party vectors beside the repository (../shared/vectors,
     * as the repository's own tests find them): -Dhybridkem.sharedVectors=DIR.
     */
    val sharedDir: File = File(System.getProperty("hybridkem.sharedVectors") ?: "../../../../shared/vectors").canonicalFile

    fun load(relative: String): JsonObject = parse(File(dir, relative)).jsonObject

    /** A file of [sharedDir], e.g. "xwing/test-vectors.json" (a JSON array there, so the tree is returned as is). */
    fun loadShared(relative: String): JsonElement = parse(File(sharedDir, relative))

    private fun parse(f: File): JsonElement {
        check(f.isFile) { "missing vector file $f" }
        return Json.parseToJsonElement(f.readText())
    }

    /** Every KEM vector file (every .json in spec/vectors except invalid.json). */
    fun kemFiles(): List<String> = dir.listFiles { f -> f.isFile && f.name.endsWith(".json") && f.name != "invalid.json" }!!
        .map { it.name }.sorted().also { check(it.size >= 7) { "expected the 7 KEM vector files in $dir, found $it" } }

    /**
     * One dynamic test per entry of each file's "vectors" array, named "<file> #<i>";
     * `body` gets the whole file (its suite id, name, OID) and the entry.
     */
    fun perVector(files: List<String>, body: (json: JsonObject, vector: JsonElement) -> Unit): List<DynamicTest> =
        files.flatMap { file ->
            val json = load(file)
            json.arr("vectors").mapIndexed { i, v -> DynamicTest.dynamicTest("$file #$i") { body(json, v) } }
        }

    fun signatureFiles(): List<String> = File(dir, "signatures").listFiles { f -> f.name.endsWith(".json") }!!
        .map { "signatures/" + it.name }.sorted().also { check(it.size >= 3) { "expected 3 signature vector files" } }
}

fun JsonElement.str(key: String): String = jsonObject.getValue(key).jsonPrimitive.content
fun JsonElement.bytes(key: String): ByteArray = hex(str(key))
fun JsonElement.obj(key: String): JsonObject = jsonObject.getValue(key).jsonObject
fun JsonElement.arr(key: String): JsonArray = jsonObject.getValue(key).jsonArray
fun JsonElement.int(key: String): Int = jsonObject.getValue(key).jsonPrimitive.int
fun JsonElement.has(key: String): Boolean = jsonObject.containsKey(key)

fun hex(s: String): ByteArray {
    require(s.length % 2 == 0) { "odd hex length" }
    return ByteArray(s.length / 2) { i -> s.substring(2 * i, 2 * i + 2).toInt(16).toByte() }
}
fun ByteArray.hex(): String = joinToString("") { "%02x".format(it.toInt() and 0xff) }
