import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the portal writes: every `.svelte` and `.ts` file below `folders` but the tests, with its
 * text (the tests that look for a word or a pattern written where it should not be).
 */
export function portalSources(...folders: string[]): { path: string; text: string }[] {
	const found: { path: string; text: string }[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (/\.(svelte|ts)$/.test(name) && !name.endsWith('.spec.ts'))
				found.push({ path, text: readFileSync(path, 'utf8') });
		}
	};
	for (const folder of folders) walk(folder);
	return found;
}
