#!/usr/bin/env node
import { loadDotEnv } from '../config/dotenv.js';
import { runCli } from './run-cli.js';

/** `npx tessera <command>`: see `tessera --help` and docs/operations.md. */
loadDotEnv();
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  },
});
process.exit(code);
