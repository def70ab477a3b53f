package dev.hybridkem

import kotlinx.serialization.json.JsonElement
import org.junit.jupiter.api.Assertions.assertEquals

/**
 * The wire objects of one vector entry, KEM and signature alike: each of `objects` (name, its
 * encoding, its body) is the entry's "encoded" hex and armors to its "armored" text; that text
 * dearmors to a kind and bytes that `decoded` checks against the body; then the entry's "keyId"
 * is `keyId` of the encoded public key.
 */
fun assertWireObjects(
    v: JsonElement,
    objects: List<Triple<String, ByteArray, ByteArray>>,
    keyId: (ByteArray) -> String,
    decoded: (name: String, kind: Kind, bytes: ByteArray, body: ByteArray) -> Unit,
) {
    val enc = v.obj("encoded")
    val armored = v.obj("armored")
    for ((name, encoded, body) in objects) {
        assertEquals(enc.str(name), encoded.hex(), "encoded $name")
        assertEquals(armored.str(name), Armor.armor(encoded), "armored $name")
        val (kind, bytes) = Armor.dearmor(armored.str(name))
        decoded(name, kind, bytes, body)
    }
    assertEquals(v.str("keyId"), keyId(hex(enc.str("publicKey"))), "keyId")
}
