/**
 * `onformdata={dropEmptyFields}` on a filter form sent by GET: the fields left empty are not put in
 * the address (`?action=x`, not `?action=x&compte=&du=&au=&q=`). Both the browser and SvelteKit's
 * navigation build the address from the form's data, which this event lets the page trim. Without
 * script the address keeps them, and the server reads an empty filter as none.
 */
export function dropEmptyFields(event: FormDataEvent): void {
	const { formData } = event;
	for (const name of new Set(formData.keys())) {
		const kept = formData.getAll(name).filter((value) => value !== '');
		formData.delete(name);
		for (const value of kept) formData.append(name, value);
	}
}
