// The passphrase secrets manager of the Pulumi CLI, to open the secrets of a stack export offline
// (pulumi/pulumi sdk/go/common/resource/config/crypt.go, pkg/secrets/passphrase/manager.go):
// PBKDF2-HMAC-SHA256 with 1,000,000 iterations derives a 32-byte key from the passphrase and the
// stack's 8-byte salt; each value is AES-256-GCM with a 12-byte nonce, written
// `v1:<base64 nonce>:<base64 ciphertext‖tag>`. The stack's state `v1:<base64 salt>:<Encrypt("pulumi")>`
// tells a right passphrase from a wrong one. Decrypted values stay inside this module's callers;
// nothing here prints or logs one.

import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";

const iterations = 1_000_000;
const keyBytes = 32;
const nonceBytes = 12;
const tagBytes = 16;
const saltBytes = 8;
/** What the state's check value decrypts to (manager.go). */
const checkValue = "pulumi";

/** Why a value or a passphrase could not be used; the message never holds a secret. */
export class PassphraseError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PassphraseError";
    }
}

/**
 * The passphrase as the CLI finds it (manager.go readPassphrase): `PULUMI_CONFIG_PASSPHRASE` when
 * set (even empty), else the trimmed content of `PULUMI_CONFIG_PASSPHRASE_FILE`; undefined when
 * neither is set (the CLI would prompt, or fail when not interactive).
 */
export function passphraseFromEnvironment(env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file === undefined || file === "") return undefined;
    try {
        return fs.readFileSync(path.resolve(cwd, file), "utf8").trim();
    } catch (e) {
        throw new PassphraseError(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
}

function base64(text: string, what: string): Buffer {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new PassphraseError(`bad value: ${what} is not base64`);
    return Buffer.from(text, "base64");
}

/** A key derived from a passphrase and a salt; decrypts (and, for test fixtures, encrypts) values. */
export class PassphraseCrypter {
    private constructor(private readonly key: Buffer) {}

    /** crypt.go symmetricCrypterFromPhraseAndState: derives the key. */
    static derive(passphrase: string, salt: Buffer): PassphraseCrypter {
        return new PassphraseCrypter(pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, iterations, keyBytes, "sha256"));
    }

    /**
     * Opens a stack's passphrase state (`v1:<salt>:<check value>`); throws `PassphraseError` for a
     * malformed state or a wrong passphrase (`incorrect passphrase`).
     */
    static open(passphrase: string, state: string): PassphraseCrypter {
        const parts = state.split(":");
        if (parts.length < 3) throw new PassphraseError("malformed state value");
        if (parts[0] !== "v1") throw new PassphraseError("unknown state version");
        const crypter = PassphraseCrypter.derive(passphrase, base64(parts[1], "the salt"));
        let check: string;
        try {
            check = crypter.decrypt(parts.slice(2).join(":"));
        } catch {
            throw new PassphraseError("incorrect passphrase");
        }
        if (check !== checkValue) throw new PassphraseError("incorrect passphrase");
        return crypter;
    }

    /** A new state for `passphrase`: random salt, the check value encrypted under the derived key. */
    static newState(passphrase: string): { state: string; crypter: PassphraseCrypter } {
        const salt = randomBytes(saltBytes);
        const crypter = PassphraseCrypter.derive(passphrase, salt);
        return { state: `v1:${salt.toString("base64")}:${crypter.encrypt(checkValue)}`, crypter };
    }

    /** crypt.go DecryptValue: `v1:<nonce>:<ciphertext‖tag>` → the plaintext. */
    decrypt(value: string): string {
        const parts = value.split(":");
        if (parts.length !== 3) throw new PassphraseError("bad value");
        if (parts[0] !== "v1") throw new PassphraseError("unknown value version");
        const nonce = base64(parts[1], "the nonce");
        const sealed = base64(parts[2], "the ciphertext");
        if (nonce.length !== nonceBytes) throw new PassphraseError("bad value: nonce size is incorrect");
        if (sealed.length < tagBytes) throw new PassphraseError("cipher: message authentication failed");
        const decipher = createDecipheriv("aes-256-gcm", this.key, nonce);
        decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
        try {
            return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - tagBytes)), decipher.final()]).toString("utf8");
        } catch {
            throw new PassphraseError("cipher: message authentication failed");
        }
    }

    /** crypt.go EncryptValue: a random nonce, AES-256-GCM, `v1:<nonce>:<ciphertext‖tag>`. */
    encrypt(plaintext: string): string {
        const nonce = randomBytes(nonceBytes);
        const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
        const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
        return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
    }
}
