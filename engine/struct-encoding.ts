// Property bags straight to the bytes of a `google.protobuf.Struct`, without building
// google-protobuf's message objects. Those objects cost the CLI most of its time and memory on a
// large stack (a 50,000-resource AnalyzeStack request took ~2 GB of them before it was serialized);
// these bytes are the same ones google-protobuf writes (test/engine/struct-encoding.spec.ts checks
// that byte for byte), so the pack decodes exactly what it decoded before:
//   - map keys sorted as jspb.Map sorts them (`keys.sort()`), each entry's key and value always written;
//   - a key named `__proto__` left out, as jspb.Map cannot hold it;
//   - strings in UTF-8, lone surrogates as jspb's writer treats them; NaN as jspb writes it.
//
// Wire format (google/protobuf/struct.proto): Struct { map<string, Value> fields = 1 };
// Value { null_value = 1 (enum), number_value = 2 (double), string_value = 3, bool_value = 4,
// struct_value = 5, list_value = 6 }; ListValue { repeated Value values = 1 }.

/** A value that cannot be sent; `path` is built on the way out, only when this happens. */
class Unsendable {
    readonly path: string[] = [];
    constructor(readonly type: string) {}
}

/** Two passes: `measure` records every nested length (pre-order) and `write` replays them. */
class Encoder {
    private readonly lengths: number[] = [];
    private readonly keyLists: string[][] = [];
    private lengthAt = 0;
    private keysAt = 0;
    private buffer!: Buffer;
    private pos = 0;

    /** The Struct of a top-level property bag: undefined values and `__` keys skipped (SkipInternalKeys). */
    encodeTopLevel(props: Record<string, unknown> | undefined, label: string): Uint8Array {
        const size = this.measureTopLevel(props, label);
        return this.writeTopLevel(props, Buffer.allocUnsafe(size), 0);
    }

    /** Writes the Struct measured by `measureTopLevel` into `out` at `at`; returns `out`. */
    writeTopLevel(props: Record<string, unknown> | undefined, out: Buffer, at: number): Buffer {
        this.buffer = out;
        this.pos = at;
        this.writeStruct(props ?? {});
        return out;
    }

    measureTopLevel(props: Record<string, unknown> | undefined, label: string): number {
        const keys: string[] = [];
        for (const k of Object.keys(props ?? {})) {
            if (!k.startsWith("__") && props![k] !== undefined) keys.push(k);
        }
        let size: number;
        try {
            size = this.measureStruct(props ?? {}, keys);
        } catch (e) {
            if (e instanceof Unsendable) throw new TypeError(`${label}.${e.path.reverse().join("").slice(1)}: a ${e.type} cannot be sent to a policy pack`);
            throw e;
        }
        return size;
    }

    // ---- pass 1

    private measureStruct(obj: Record<string, unknown>, keys: string[]): number {
        keys.sort();
        this.keyLists.push(keys);
        let size = 0;
        for (const k of keys) {
            const at = this.lengths.length;
            this.lengths.push(0);
            const entry = this.measureString(k) + this.measureField(obj[k], `.${k}`);
            this.lengths[at] = entry;
            size += 1 + varintSize(entry) + entry;
        }
        return size;
    }

    /** Field 2 of a map entry (a Value) with its tag and length. */
    private measureField(v: unknown, segment: string): number {
        let size: number;
        try {
            size = this.measureValue(v);
        } catch (e) {
            if (e instanceof Unsendable) e.path.push(segment);
            throw e;
        }
        return 1 + varintSize(size) + size;
    }

    /** Field 1 of an entry, or a string value: tag, length, UTF-8. */
    private measureString(s: string): number {
        const n = utf8Length(s);
        this.lengths.push(n);
        return 1 + varintSize(n) + n;
    }

    private measureValue(v: unknown): number {
        if (v === null || v === undefined) return 2; // undefined: a hole in a list, sent as null
        switch (typeof v) {
            case "boolean": return 2;
            case "number": return 9;
            case "string": return this.measureString(v);
            case "object": {
                const at = this.lengths.length;
                this.lengths.push(0);
                let inner = 0;
                if (Array.isArray(v)) {
                    for (let i = 0; i < v.length; i++) inner += this.measureField(v[i], `[${i}]`);
                } else {
                    const obj = v as Record<string, unknown>;
                    const keys: string[] = [];
                    for (const k of Object.keys(obj)) if (obj[k] !== undefined && k !== "__proto__") keys.push(k);
                    inner = this.measureStruct(obj, keys);
                }
                this.lengths[at] = inner;
                return 1 + varintSize(inner) + inner;
            }
            default:
                throw new Unsendable(typeof v);
        }
    }

    // ---- pass 2

    private writeStruct(obj: Record<string, unknown>): void {
        for (const k of this.keyLists[this.keysAt++]) {
            this.byte(0x0a);
            this.varint(this.lengths[this.lengthAt++]);
            this.writeString(0x0a, k);
            this.writeField(0x12, obj[k]);
        }
    }

    /** The body size of a Value; a string's or a list's or struct's is the next recorded length. */
    private valueSize(v: unknown): number {
        if (v === null || v === undefined || typeof v === "boolean") return 2;
        if (typeof v === "number") return 9;
        const n = this.lengths[this.lengthAt];
        return 1 + varintSize(n) + n;
    }

    private writeField(tag: number, v: unknown): void {
        this.byte(tag);
        this.varint(this.valueSize(v));
        this.writeValue(v);
    }

    private writeValue(v: unknown): void {
        if (v === null || v === undefined) {
            this.byte(0x08);
            this.byte(0);
            return;
        }
        switch (typeof v) {
            case "boolean":
                this.byte(0x20);
                this.byte(v ? 1 : 0);
                return;
            case "number":
                this.byte(0x11);
                if (Number.isNaN(v)) {
                    // jspb writes every NaN as this one bit pattern.
                    this.buffer.writeUInt32LE(0xffffffff, this.pos);
                    this.buffer.writeUInt32LE(0x7fffffff, this.pos + 4);
                } else {
                    this.buffer.writeDoubleLE(v, this.pos);
                }
                this.pos += 8;
                return;
            case "string":
                this.writeString(0x1a, v);
                return;
            default: {
                const inner = this.lengths[this.lengthAt++];
                if (Array.isArray(v)) {
                    this.byte(0x32);
                    this.varint(inner);
                    for (const e of v) this.writeField(0x0a, e);
                } else {
                    this.byte(0x2a);
                    this.varint(inner);
                    this.writeStruct(v as Record<string, unknown>);
                }
            }
        }
    }

    private writeString(tag: number, s: string): void {
        const n = this.lengths[this.lengthAt++];
        this.byte(tag);
        this.varint(n);
        if (isWellFormed(s)) this.buffer.write(s, this.pos, n, "utf8");
        else writeJspbUtf8(s, this.buffer, this.pos);
        this.pos += n;
    }

    private byte(b: number): void {
        this.buffer[this.pos++] = b;
    }

    private varint(n: number): void {
        while (n > 0x7f) {
            this.buffer[this.pos++] = (n & 0x7f) | 0x80;
            n >>>= 7;
        }
        this.buffer[this.pos++] = n;
    }
}

function varintSize(n: number): number {
    return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

const isWellFormed: (s: string) => boolean = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\ud800-\udfff]/.test(s) || /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(s);

function utf8Length(s: string): number {
    return isWellFormed(s) ? Buffer.byteLength(s, "utf8") : writeJspbUtf8(s, undefined, 0);
}

/**
 * jspb.BinaryEncoder.writeString's UTF-8 for strings with lone surrogates (well-formed strings
 * come out as standard UTF-8): a lone low surrogate, or a high one at the end, as three bytes; a
 * high surrogate followed by anything but a low one, dropped. Returns the byte count; writes when
 * given a buffer.
 */
function writeJspbUtf8(s: string, out: Buffer | undefined, at: number): number {
    let n = 0;
    const put = (b: number) => {
        if (out) out[at + n] = b;
        n++;
    };
    for (let i = 0; i < s.length; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) put(c);
        else if (c < 0x800) {
            put((c >> 6) | 0xc0);
            put((c & 0x3f) | 0x80);
        } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const low = s.charCodeAt(i + 1);
            if (low >= 0xdc00 && low <= 0xdfff) {
                c = (c - 0xd800) * 0x400 + low - 0xdc00 + 0x10000;
                put((c >> 18) | 0xf0);
                put(((c >> 12) & 0x3f) | 0x80);
                put(((c >> 6) & 0x3f) | 0x80);
                put((c & 0x3f) | 0x80);
                i++;
            }
        } else {
            put((c >> 12) | 0xe0);
            put(((c >> 6) & 0x3f) | 0x80);
            put((c & 0x3f) | 0x80);
        }
    }
    return n;
}

/**
 * A property bag as the bytes of the Struct `MarshalProperties(..., SkipInternalKeys: true)` sends:
 * undefined-valued keys dropped, top-level `__`-prefixed keys skipped, an undefined list element
 * sent as null. Throws a TypeError naming the value (`<label>.<path>`) for anything JSON has not.
 */
export function encodeStruct(props: Record<string, unknown> | undefined, label: string): Uint8Array {
    return new Encoder().encodeTopLevel(props, label);
}

/** The size of `encodeStruct(props, label)`, which throws as it would. */
export function structSize(props: Record<string, unknown> | undefined, label: string): number {
    return new Encoder().measureTopLevel(props, label);
}

/** `encodeStruct(props, label)` written into `out` at `at`; returns the position after it. */
export function encodeStructInto(props: Record<string, unknown> | undefined, label: string, out: Buffer, at: number): number {
    const encoder = new Encoder();
    const size = encoder.measureTopLevel(props, label);
    encoder.writeTopLevel(props, out, at);
    return at + size;
}

/** The size of a length-delimited field of `length` bytes, with its tag and length. */
export function lengthDelimitedSize(field: number, length: number): number {
    return varintSize((field << 3) | 2) + varintSize(length) + length;
}

/** The tag and length of a length-delimited field, written into `out` at `at`; returns the position after them. */
export function writeFieldHeader(out: Buffer, at: number, field: number, length: number): number {
    return writeVarint(out, writeVarint(out, at, (field << 3) | 2), length);
}

/** No bytes: a field proto3 leaves out. Shared; never written to. */
export const noBytes = Buffer.alloc(0);

/** A `string` field as jspb writes it: nothing for "" (proto3's default), else tag, length and UTF-8. */
export function stringField(field: number, value: string): Buffer {
    return value === "" ? noBytes : stringEntry(field, value);
}

/** One string as jspb's `writeString` writes it, "" included (entries of repeated fields and map keys). */
export function stringEntry(field: number, value: string): Buffer {
    const length = utf8Length(value);
    const out = Buffer.allocUnsafe(lengthDelimitedSize(field, length));
    const at = writeFieldHeader(out, 0, field, length);
    if (isWellFormed(value)) out.write(value, at, length, "utf8");
    else writeJspbUtf8(value, out, at);
    return out;
}

/** `parts`, one after the other, as a length-delimited field (wire type 2) of a message: tag, length, bytes. */
export function lengthDelimited(field: number, ...parts: Uint8Array[]): Buffer {
    const tag = (field << 3) | 2;
    let length = 0;
    for (const p of parts) length += p.length;
    const out = Buffer.allocUnsafe(varintSize(tag) + varintSize(length) + length);
    let pos = writeVarint(out, 0, tag);
    pos = writeVarint(out, pos, length);
    for (const p of parts) {
        out.set(p, pos);
        pos += p.length;
    }
    return out;
}

function writeVarint(out: Buffer, pos: number, n: number): number {
    while (n > 0x7f) {
        out[pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
    }
    out[pos++] = n;
    return pos;
}
