/**
 * The `privatelink` command: arguments are parsed and validated first (nothing is loaded or called for
 * a bad argument or --help), then the one command's module is loaded, which loads only the SDK clients
 * it needs. Exit codes: 0 success, 1 failure (one-line reason on stderr), 2 invalid arguments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Invocation, parseCommandLine, type Request, UsageError } from './args';
import { closeClients, describeError } from './aws';
import { CliError, type Io, processIo } from './output';
import type { CommandName } from './spec';

/** A command's module: what `privatelink <command>` runs once the arguments are valid. */
export interface CommandModule {
  run(inv: Invocation, io: Io): Promise<number>;
}

/** Loads the one module a command needs (and with it only the SDK clients that command uses). */
export function loadCommand(command: CommandName): Promise<CommandModule> {
  switch (command) {
    case 'status':
      return import('./commands/status.js');
    case 'accept':
    case 'reject':
      return import('./commands/decide.js');
    case 'allow':
    case 'revoke':
      return import('./commands/permissions.js');
    case 'check':
      return import('./commands/check.js');
    case 'teardown':
      return import('./commands/teardown.js');
    case 'doctor':
      return import('./commands/doctor.js');
    case 'rollout-status':
      return import('./commands/rollout-status.js');
    case 'accept-share':
      return import('./commands/accept-share.js');
  }
}

/** The package's root directory: given by the launcher (the bundled CLI has no __dirname). */
let packageRoot: string | undefined;

function version(): string {
  const root = packageRoot ?? path.join(__dirname, '..', '..'); // same depth from src/cli and lib/cli
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs one command line and returns the exit code. */
export async function main(
  argv: string[],
  io: Io = processIo,
  load: (command: CommandName) => Promise<CommandModule> = loadCommand,
): Promise<number> {
  let request: Request;
  try {
    request = parseCommandLine(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      const where = err.command ? `privatelink ${err.command}` : 'privatelink';
      io.err(`${where}: ${err.message}${err.command ? ` (see "privatelink ${err.command} --help")` : ''}`);
      return 2;
    }
    throw err;
  }
  if (request.kind === 'help') {
    io.out(request.text);
    return 0;
  }
  if (request.kind === 'version') {
    io.out(version());
    return 0;
  }
  const inv = request.invocation;
  try {
    return await (await load(inv.command)).run(inv, io);
  } catch (err) {
    io.err(`privatelink ${inv.command}: ${describeError(err)}`);
    return err instanceof CliError ? err.exitCode : 1;
  } finally {
    closeClients();
  }
}

/** Entry point for bin/privatelink.js, which passes the package's root directory. */
export function run(argv: string[] = process.argv.slice(2), root?: string): void {
  packageRoot = root;
  // The SDK's multi-line notice about its own future Node.js support would bury the CLI's one-line
  // reasons on stderr; it concerns the package's engines, not the command being run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`privatelink: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
