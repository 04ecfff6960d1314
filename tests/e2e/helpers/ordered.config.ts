import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import base from '../../../playwright.config';

/**
 * The whole suite in another file order than Playwright's own (alphabetical), to prove that no
 * spec depends on another having run first:
 *
 *   E2E_ORDER=reverse E2E_PORT=4420 npx playwright test -c tests/e2e/helpers/ordered.config.ts
 *   E2E_ORDER=42 …     (a shuffle, the same for the same number)
 *
 * One project a spec file, each depending on the one before, so that they run one after another
 * in that order (a failing spec skips those after it).
 */
const ROOT = join(import.meta.dirname, '../../..');
const TESTS = join(ROOT, 'tests/e2e');
const order = process.env.E2E_ORDER ?? 'reverse';

/** A small seeded generator (mulberry32): the same seed, the same order. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function ordered(files: string[]): string[] {
	if (order === 'reverse') return [...files].reverse();
	const next = random(Number(order));
	const shuffled = [...files];
	for (let i = shuffled.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1));
		[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
	}
	return shuffled;
}

const files = ordered(
	readdirSync(TESTS)
		.filter((file) => file.endsWith('.spec.ts'))
		.sort()
);
console.log(`Ordre des spécifications (${order}) : ${files.join(', ')}`);

const webServer = base.webServer as NonNullable<PlaywrightTestConfig['webServer']>;

export default defineConfig({
	...base,
	testDir: TESTS,
	outputDir: join(ROOT, 'test-results'),
	globalSetup: join(TESTS, 'helpers/global-setup.ts'),
	webServer: { ...webServer, cwd: ROOT } as PlaywrightTestConfig['webServer'],
	projects: files.map((file, index) => ({
		name: file,
		testMatch: new RegExp(`/${file.replace(/\./g, '\\.')}$`),
		use: { browserName: 'chromium' },
		dependencies: index === 0 ? [] : [files[index - 1]!]
	}))
});
