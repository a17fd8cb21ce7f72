// The signer process: the only holder of the CA keys and the audit key in a deployment. It opens them,
// then serves signatures over a Unix socket to clients presenting the signer token (libs/signer
// remote/server.ts), checking each TBS against the key about to sign it.
import { ConfigError, loadSignerConfig } from '@anchorage/config';
import { join } from 'node:path';
import { loadKeyFile, openSigner, SerialJournal, SignerError, startSignerServer } from '@anchorage/signer';

async function main(): Promise<void> {
  const config = loadSignerConfig();
  const signer = await openSigner(config);
  const token = await loadKeyFile(config.tokenFile, 'signer token');
  const journal = SerialJournal.open(join(config.keyDir, 'signed-serials.log'));
  const server = await startSignerServer(signer, { socketPath: config.socketPath, token, socketGroup: config.socketGroup, journal, log: (line) => console.error(line) });
  console.log(`anchorage signer listening on ${server.socketPath} (backends: ${signer.backendKinds.join(', ') || 'none'}${signer.hasAuditKey ? ', audit key' : ''}; ${journal.size} certificate serials signed so far)`);
  const stop = async () => {
    await server.close();
    journal.close();
    await signer.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof SignerError ? err.message : err);
  process.exit(1);
});
