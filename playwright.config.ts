import { defineConfig } from '@playwright/test';

// E2E_PORT lets two checkouts run their suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 4173);
export const E2E_DATABASE = 'tests/e2e/.artifacts/sdusn-e2e.db';
/** The shared database as seeded, with the test accounts: each spec's own portal starts on a copy. */
export const E2E_TEMPLATE = 'tests/e2e/.artifacts/sdusn-e2e-template.db';

/** The spec files that take longest (over 30 s each on this machine). */
const LONGEST_SPECS =
	/\/(commission|mail|partner-updates|plan-editing|progress-flow|public-pages)\.spec\.ts$/;

export default defineConfig({
	testDir: 'tests/e2e',
	// A spec's tests run in order, on its own server (helpers/portal.ts or helpers/own-portal.ts):
	// two specs at a time, one per core. E2E_WORKERS=1 runs them one after another.
	workers: Number(process.env.E2E_WORKERS) || 2,
	fullyParallel: false,
	// After the web server has built and seeded: test accounts, then the copy every spec starts on.
	globalSetup: './tests/e2e/helpers/global-setup.ts',
	forbidOnly: !!process.env.CI,
	retries: 0,
	// CI (.ci/run) may share its machine: there the longest journeys timed out at 30 s
	// (docs/performance.md, « figures moved out of code comments »).
	timeout: process.env.CI ? 60_000 : 30_000,
	reporter: [['list']],
	outputDir: 'test-results',
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		locale: 'fr-FR',
		// No trace by default: recording one for every test (DOM snapshots and screencast, kept only
		// on failure) cost the suite much of its CPU on two cores (docs/performance.md, « Where the
		// e2e suite's time went »). A failure keeps its screenshot and the page's structure
		// (error-context.md); `npx playwright test --trace retain-on-failure` records traces.
		trace: 'off',
		screenshot: 'only-on-failure',
		launchOptions: {
			// Debian's Chromium; Playwright never downloads a browser here.
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	// The longest specs are handed out first: workers take spec files in the order of the projects,
	// then alphabetically, and a 40-second spec handed out last kept one worker busy long after the
	// other had finished (docs/performance.md, « the test suite's time »).
	projects: [
		{ name: 'chromium-longues', testMatch: LONGEST_SPECS, use: { browserName: 'chromium' } },
		{ name: 'chromium', testIgnore: LONGEST_SPECS, use: { browserName: 'chromium' } }
	],
	webServer: {
		command: 'node tests/e2e/helpers/serve.js',
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: false,
		timeout: 240_000,
		stdout: 'pipe',
		stderr: 'pipe',
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			DATABASE_PATH: E2E_DATABASE,
			// One line per request would drown the test report; warnings and errors still show.
			LOG_LEVEL: 'warn'
		}
	}
});
