import {
  findTicketTypeDefinition,
  type FormField,
  type TicketTypeForm,
} from '../../../shared/ticket-types.ts';
import { api } from '../../lib/api.ts';

/**
 * The stored forms of the ticket types, as the admin edited them (labels in three languages), so
 * the case shows the tenant's answers under the labels the tenant saw. Loaded once per console
 * session; until then, or for a type no longer offered, the shipped definition labels them.
 */
class TicketFormsState {
  forms = $state<Record<string, readonly FormField[]>>({});
  #loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.#loading ??= api
      .get<{ types: { id: string; form: TicketTypeForm }[] }>('/ticket-types')
      .then(({ types }) => {
        this.forms = Object.fromEntries(types.map((type) => [type.id, type.form.fields]));
      })
      .catch(() => {
        // The shipped labels still read; the next case tries again.
        this.#loading = null;
      });
    return this.#loading;
  }

  fieldsOf(type: string): readonly FormField[] {
    return this.forms[type] ?? findTicketTypeDefinition(type)?.form.fields ?? [];
  }
}

export const ticketForms = new TicketFormsState();
