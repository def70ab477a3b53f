package dev.hybridkem

import java.util.Base64

/** The armored (text) form of any v1 object (spec/WIRE-FORMAT.md §3): RFC 7468 strict, 64-character lines. */
object Armor {
    private const val LINE = 64
    /** Longest text read: the largest v1 object (a 4745-byte signature) with room to spare, as TypeScript. */
    const val MAX_ARMORED_LENGTH = 16384
    private val BEGIN = Regex("^-----BEGIN ([A-Z ]+)-----$")
    private val END = Regex("^-----END ([A-Z ]+)-----$")
    private val BASE64_LINE = Regex("^[A-Za-z0-9+/=]+$")

    fun armor(encoded: ByteArray): String {
        if (encoded.size < Wire.HEADER_LENGTH) throw ArmorException("object is shorter than its header")
        val kindByte = encoded[1].toInt() and 0xff
        val kind = Kind.ofByte(kindByte) ?: throw UnknownKindException(kindByte)
        val b64 = Base64.getEncoder().encodeToString(encoded)
        val sb = StringBuilder("-----BEGIN ${kind.label}-----\n")
        for (i in b64.indices step LINE) sb.append(b64, i, minOf(i + LINE, b64.length)).append('\n')
        return sb.append("-----END ${kind.label}-----\n").toString()
    }

    /** The encoded bytes inside armored text, checked as TypeScript's dearmor; decode them with the strict decoders. */
    fun dearmor(text: String): Pair<Kind, ByteArray> {
        if (text.length > MAX_ARMORED_LENGTH) {
            throw ArmorException("text is ${text.length} characters, more than the $MAX_ARMORED_LENGTH any object needs")
        }
        // Surrounding whitespace is ASCII's (spec §3), not trim()'s Unicode set.
        val lines = text.trim { it == ' ' || it == '\t' || it == '\r' || it == '\n' }.split(Regex("\r?\n"))
        val begin = BEGIN.find(lines.first())
        val end = END.find(lines.last())
        if (begin == null || end == null || lines.size < 3) {
            throw ArmorException("expected -----BEGIN …----- and -----END …----- lines around the base64")
        }
        val label = begin.groupValues[1]
        if (label != end.groupValues[1]) throw ArmorException("BEGIN label \"$label\" does not match END label \"${end.groupValues[1]}\"")
        val kind = Kind.ofLabel(label) ?: throw ArmorException("unknown label \"$label\"")
        val body = lines.subList(1, lines.size - 1)
        body.forEachIndexed { i, line ->
            val isLast = i == body.size - 1
            if (!BASE64_LINE.matches(line)) throw ArmorException("line ${i + 2}: not base64")
            if (if (isLast) line.length > LINE else line.length != LINE) {
                throw ArmorException("line ${i + 2}: expected ${if (isLast) "at most $LINE" else "$LINE"} base64 characters, got ${line.length}")
            }
        }
        val b64 = body.joinToString("")
        val encoded = try {
            Base64.getDecoder().decode(b64)
        } catch (e: IllegalArgumentException) {
            throw ArmorException("invalid base64")
        }
        // Java's decoder accepts non-zero padding bits; re-encoding catches them (and missing padding).
        if (Base64.getEncoder().encodeToString(encoded) != b64) throw ArmorException("non-canonical base64")
        if (encoded.size >= 2 && Kind.ofByte(encoded[1].toInt() and 0xff) != kind) {
            val inner = Kind.ofByte(encoded[1].toInt() and 0xff)?.tsName ?: "0x%02x".format(encoded[1].toInt() and 0xff)
            throw ArmorException("label says ${kind.tsName} but the object inside is $inner")
        }
        return kind to encoded
    }
}
