// Plain JavaScript: read by the server hooks (an endpoint asked with a method it does not answer)
// and by scripts/start.js (TRACE and TRACK, refused before SvelteKit sees them).

export const METHOD_NOT_ALLOWED_MESSAGE =
	'Cette adresse ne reçoit pas ce type de requête : ouvrez la page et utilisez ses formulaires.';
