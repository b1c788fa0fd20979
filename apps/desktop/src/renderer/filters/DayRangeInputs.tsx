import { DateInput, type DateInputProps } from 'react-admin';
import { fromDayToInstant, instantToFromDay, instantToToDay, toDayToInstant } from './dayRange.ts';

/**
 * List filters on a day range: the user picks days, the list asks the server for instants (see
 * dayRange.ts). DateInput, not a TextInput of type date: it keeps its label above the browser's
 * "mm/dd/yyyy" placeholder instead of over it.
 */
export const FromDayInput = (props: Omit<DateInputProps, 'parse' | 'format'>) => (
  <DateInput {...props} parse={fromDayToInstant} format={instantToFromDay} />
);

/** The last day included: the filter value is the start of the day after. */
export const ToDayInput = (props: Omit<DateInputProps, 'parse' | 'format'>) => (
  <DateInput {...props} parse={toDayToInstant} format={instantToToDay} />
);
