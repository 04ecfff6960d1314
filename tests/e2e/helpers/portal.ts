import { rmSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { E2E_TEMPLATE } from '../../../playwright.config';
import { useOwnPortal } from './accounts';
import { startOwnPortal, type OwnPortal } from './own-portal';

/**
 * One portal per spec file: its own server on its own copy of the database the suite prepared
 * once (migrated, seeded, test accounts created: helpers/global-setup.ts). A spec that imports
 * `test` and `expect` from here runs alone or in any order, whatever the other specs write.
 */
class PortalPerSpec {
	#file = '';
	#portal: Promise<OwnPortal> | null = null;

	/** `env`: settings of the spec's server beyond the suite's (`portalEnv`, e.g. SMTP_URL). */
	constructor(private readonly env: Record<string, string>) {}

	/** The portal of the spec file `file`, started on first use; the previous spec's is stopped. */
	async for(file: string): Promise<OwnPortal> {
		if (this.#file !== file || !this.#portal) {
			await this.stop();
			this.#file = file;
			// Starting a server takes seconds on a loaded machine: not counted against the first test.
			test.info().setTimeout(test.info().timeout + 60_000);
			// « disponible sur » is logged at the info level, which startOwnPortal waits for; campaign
			// reminders and digests are checked every second instead of every minute (mail.spec.ts).
			this.#portal = startOwnPortal(
				{ LOG_LEVEL: 'info', SDUSN_JOBS_EVERY_MS: '1000', ...this.env },
				{ copyOf: E2E_TEMPLATE }
			);
		}
		return this.#portal;
	}

	async stop(): Promise<void> {
		const portal = await this.#portal?.catch(() => null);
		this.#portal = null;
		if (!portal) return;
		if (portal.child.exitCode === null) {
			portal.child.kill('SIGTERM');
			await portal.exited;
		}
		rmSync(portal.dir, { recursive: true, force: true });
	}
}

export const test = base.extend<
	object,
	{ specPortal: PortalPerSpec; portalEnv: Record<string, string> }
>({
	// A spec sets it with test.use() (its own worker): mail.spec.ts gives its server a mail relay.
	portalEnv: [{}, { scope: 'worker', option: true }],
	specPortal: [
		async ({ portalEnv }, use) => {
			const portals = new PortalPerSpec(portalEnv);
			// apiAs(), portalUrl() and portalDatabase() follow the spec's portal,
			// in beforeAll hooks too.
			useOwnPortal(() => portals.for(base.info().file));
			await use(portals);
			await portals.stop();
		},
		{ scope: 'worker', auto: true }
	],
	baseURL: async ({ specPortal }, use, testInfo) => {
		await use((await specPortal.for(testInfo.file)).url);
	}
});

export { expect };
