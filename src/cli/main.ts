/** Placeholder entry point; replaced by the command table. */
export async function main(_argv: string[]): Promise<number> {
  return 0;
}
