/** `aws-msk-iam-auth-2.3.6-all.jar` → {version: [2,3,6], all: true}. */
export function iamJarVersion(name: string): {version: [number, number, number]; text: string; all: boolean} | undefined {
  const match = /aws-msk-iam-auth-(\d+)\.(\d+)\.(\d+)(-all)?\.jar$/.exec(name)
  if (!match) return undefined
  return {
    version: [Number(match[1]), Number(match[2]), Number(match[3])],
    text: `${match[1]}.${match[2]}.${match[3]}`,
    all: Boolean(match[4]),
  }
}

/** 2.3.5 and later are compiled for Java 17 (class file 61). */
export function jarNeedsJava17(version: [number, number, number]): boolean {
  const [major, minor, patch] = version
  return major > 2 || (major === 2 && (minor > 3 || (minor === 3 && patch >= 5)))
}

/** CLASSPATH entries of shell lines or env/unit lines, with $HOME and ~ expanded; other variables dropped. */
export function classpathEntries(values: string[], home: string): string[] {
  return values
    .flatMap((value) => value.replace(/^["']|["']$/g, '').split(':'))
    .map((entry) => entry.trim().replace(/^(\$HOME|\$\{HOME\}|~)(?=\/|$)/, home))
    .filter((entry) => entry !== '' && !entry.includes('$'))
}

/** The CLASSPATH value(s) a file sets: `export CLASSPATH=…` lines, `CLASSPATH=…` env lines, `Environment=CLASSPATH=…` unit lines. */
export function classpathValues(text: string | undefined): string[] {
  if (!text) return []
  const values: string[] = []
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed.startsWith('#')) continue
    for (const match of trimmed.matchAll(/(?:^|[\s"=])CLASSPATH=("([^"]*)"|'([^']*)'|([^\s"]+))/g)) {
      values.push(match[2] ?? match[3] ?? match[4] ?? '')
    }
  }
  return values
}

/** Whether any entry makes an IAM jar loadable: the jar's own path, or a `dir/*` wildcard holding one. */
export function findIamJar(entries: string[], jarPaths: string[]): string | undefined {
  for (const entry of entries) {
    if (jarPaths.includes(entry)) return entry
    if (entry.endsWith('/*')) {
      const dir = entry.slice(0, -1)
      const jar = jarPaths.find((path) => path.startsWith(dir) && !path.slice(dir.length).includes('/'))
      if (jar) return jar
    }
  }
  return undefined
}
