import { main } from '../../src/cli/main.js';

/** What one in-process `livemig …` run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the livemig CLI in this process with captured output (not a terminal, given env). */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    env,
    isTty: false,
  };
  const code = await main([...args], io);
  return { code, stdout, stderr };
}
