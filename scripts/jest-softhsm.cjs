// A throwaway SoftHSM2 token for the PKCS#11 tests (signer, and CAs kept in an HSM), made with scripts/softhsm-setup.sh.
// SoftHSM reads SOFTHSM2_CONF with getenv() at C_Initialize, but Jest gives every test file a *copy*
// of process.env, so the variable is set here, in Jest's parent process, before any worker starts
// (workers inherit it; in-band runs share it).
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'softhsm-setup.sh');

/** Creates the token once per Jest run and exports where it is. */
function prepareSoftHsm() {
  if (process.env.ANCHORAGE_TEST_SOFTHSM_DIR) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'anchorage-test-hsm-'));
  const token = 'anchorage-test';
  const pin = '246810';
  const conf = execFileSync('bash', [SCRIPT, path.join(dir, 'hsm'), token, pin, '135791'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'], // softhsm2-util's chatter; shown in the error if the script fails
  }).trim();
  Object.assign(process.env, {
    SOFTHSM2_CONF: conf,
    ANCHORAGE_TEST_SOFTHSM_DIR: dir,
    ANCHORAGE_TEST_SOFTHSM_TOKEN: token,
    ANCHORAGE_TEST_SOFTHSM_PIN: pin,
  });
}

/** Removes the token directory made by prepareSoftHsm. */
function cleanupSoftHsm() {
  const dir = process.env.ANCHORAGE_TEST_SOFTHSM_DIR;
  if (!dir) return;
  for (const k of ['SOFTHSM2_CONF', 'ANCHORAGE_TEST_SOFTHSM_DIR', 'ANCHORAGE_TEST_SOFTHSM_TOKEN', 'ANCHORAGE_TEST_SOFTHSM_PIN']) delete process.env[k];
  rmSync(dir, { recursive: true, force: true });
}

module.exports = { prepareSoftHsm, cleanupSoftHsm };
