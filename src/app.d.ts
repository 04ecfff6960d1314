import type { Session } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: User | null;
			session: Session | null;
		}
	}
}

export {};
