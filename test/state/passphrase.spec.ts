// The passphrase secrets manager (state/passphrase.ts) against pulumi/pulumi's own test vector
// (pkg/secrets/passphrase/manager_test.go) and the scheme of sdk/go/common/resource/config/crypt.go.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassphraseCrypter, PassphraseError, passphraseFromEnvironment } from "../../state/passphrase";

// manager_test.go: the state of a stack whose passphrase is "password".
const goState = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";

describe("state: passphrase secrets (crypt.go, passphrase/manager.go)", function () {
    this.timeout(20_000);

    it("opens Pulumi's test state with its passphrase", function () {
        assert.ok(PassphraseCrypter.open("password", goState) instanceof PassphraseCrypter);
    });

    it("refuses Pulumi's test state with another passphrase: incorrect passphrase", function () {
        assert.throws(() => PassphraseCrypter.open("password123", goState), (e: unknown) => e instanceof PassphraseError && e.message === "incorrect passphrase");
    });

    it("refuses malformed states and values as the Go code does", function () {
        assert.throws(() => PassphraseCrypter.open("password", "v1:abc"), /malformed state value/);
        assert.throws(() => PassphraseCrypter.open("password", "v2:fozI5u6B030=:x"), /unknown state version/);
        const crypter = PassphraseCrypter.open("password", goState);
        assert.throws(() => crypter.decrypt("v1:AAAA"), /^PassphraseError: bad value$/);
        assert.throws(() => crypter.decrypt("v2:AAAAAAAAAAAAAAAA:AAAA"), /unknown value version/);
        assert.throws(() => crypter.decrypt("v1:AAAA:AAAAAAAAAAAAAAAAAAAAAAAA"), /nonce size is incorrect/);
        assert.throws(() => crypter.decrypt("v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAA"), /message authentication failed/);
    });

    it("what it encrypts, under a state it made, decrypts again; the state opens with the passphrase only", function () {
        const { state, crypter } = PassphraseCrypter.newState("s3cret");
        assert.match(state, /^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
        const value = crypter.encrypt(JSON.stringify({ a: "ü" }));
        assert.equal(PassphraseCrypter.open("s3cret", state).decrypt(value), JSON.stringify({ a: "ü" }));
        assert.throws(() => PassphraseCrypter.open("s3cret!", state), /incorrect passphrase/);
    });

    it("finds the passphrase as the CLI does: the variable when set (even empty), else the file, trimmed", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passphrase-"));
        try {
            fs.writeFileSync(path.join(dir, "pp"), "from-file\n");
            assert.equal(passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "pp" }, dir), "");
            assert.equal(passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE_FILE: "pp" }, dir), "from-file");
            assert.equal(passphraseFromEnvironment({}, dir), undefined);
            assert.throws(() => passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE_FILE: "missing" }, dir), /unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ENOENT/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
