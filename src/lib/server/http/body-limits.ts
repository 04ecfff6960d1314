/**
 * How large a form the portal reads, by who sends it and where (default deny). adapter-node's
 * BODY_SIZE_LIMIT (512K by default) is the ceiling of every body; below it, the portal refuses
 * (413, before parsing anything) a body larger than its sender's forms can be: undici parses a
 * body of 255,000 empty fields in half a second of the one event loop, and anyone could send it.
 */

/**
 * Any form sent without a valid session: sign-in, forgotten password, new password, invitation,
 * unsubscribe. The largest is the invitation's (a name, an organisation of 80 characters, two
 * passwords of 256), under 8 KB even when every character is sent as 9 bytes (`%E2%82%AC`).
 */
export const ANONYMOUS_FORM_BYTES = 16 * 1024;

/**
 * Any form of a signed-in account. The largest is the fiche's: four texts of 10,000 characters
 * (TEXT_MAX_LENGTH), sent as up to 6 bytes each when every letter is accented (`%C3%A9`), its
 * rows and notes beside them: 256 KB.
 */
export const SIGNED_IN_FORM_BYTES = 256 * 1024;

/**
 * The fields of one form: the fiche's has about 210, the séance's agenda up to 500 choices
 * (MAX_AGENDA_CHOICES). Counted on the bytes before parsing: 100,000 empty fields under the
 * signed-in limit cost a fifth of a second to parse.
 */
export const MAX_FORM_FIELDS = 2000;

/**
 * Routes whose form carries a file, up to BODY_SIZE_LIMIT: the plan's workbook (whose own limit,
 * MAX_WORKBOOK_BYTES, is told under its field). Every other route has the limits above.
 */
export const LARGE_FORM_ROUTES: ReadonlySet<string> = new Set(['/admin/plan/import']);

/** The largest body a form may have (Infinity: BODY_SIZE_LIMIT, adapter-node's, alone). */
export function formByteLimit(route: string | null, signedIn: boolean): number {
	if (!signedIn) return ANONYMOUS_FORM_BYTES;
	return route !== null && LARGE_FORM_ROUTES.has(route) ? Infinity : SIGNED_IN_FORM_BYTES;
}

const AMPERSAND = 0x26;

/**
 * Whether a body holds more than MAX_FORM_FIELDS fields, counted without parsing it: `&` of a
 * urlencoded form, boundaries of a multipart one (a body of another type is left to the parser,
 * which refuses it).
 */
export function hasTooManyFields(bytes: Uint8Array, contentType: string): boolean {
	if (contentType.startsWith('application/x-www-form-urlencoded')) {
		let fields = 1;
		for (let i = 0; i < bytes.length; i++)
			if (bytes[i] === AMPERSAND && ++fields > MAX_FORM_FIELDS) return true;
		return false;
	}
	const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!contentType.startsWith('multipart/form-data') || !boundary) return false;
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let count = 0;
	for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + 1))
		// The last delimiter closes the form: n fields have n + 1.
		if (++count > MAX_FORM_FIELDS + 1) return true;
	return false;
}
