import type { Role } from '../db/schema';

export type { Role };

/** What the application knows of a signed-in person; never the password hash. */
export interface User {
	id: number;
	email: string;
	name: string;
	role: Role;
	organisationId: number | null;
	organisationName: string | null;
	organisationSlug: string | null;
	disabled: boolean;
}

// The accounts' queries live in the auth repository (with normaliseEmail, the address as they
// look it up); their names stay importable from here.
export {
	normaliseEmail,
	findCredentials,
	findOrganisationIdByNameOrSlug,
	findPasswordHash,
	findUserByEmail,
	findUserById,
	insertUser,
	listUsers,
	setDisabled,
	setPasswordHash,
	setRole
} from './repository';
