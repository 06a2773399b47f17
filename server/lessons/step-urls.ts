// In a workshop room the attendees have kubectl but not the repository: a command that names a manifest in steps/
// names it by the platform's URL instead, which kubectl reads as well as a file.

// `-f steps/…` or `--filename steps/…` (also with `=`), naming a manifest file; other uses of steps/ (`cp`,
// `--from-file=`) cannot take a URL and stay as written.
const stepManifestArgument = /(^|\s)(-f|--filename)([ \t]+|=)(?:\.\/)?steps\/([A-Za-z0-9._/-]+\.(?:ya?ml|json))(?=$|[\s;|&)])/gm;

/** `code` with every `-f steps/<file>` turned into `-f <baseUrl>/steps/<file>`. */
export function stepFilesByUrl(code: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return code.replace(stepManifestArgument, (_all, before: string, flag: string, separator: string, path: string) =>
    `${before}${flag}${separator}${base}/steps/${path}`,
  );
}
