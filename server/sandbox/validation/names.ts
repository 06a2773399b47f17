// Syntax checks for names, label keys and values, with apimachinery's messages (util/validation): each check
// returns every message that applies, in the apiserver's order, and none for a valid value.

/** `msg (e.g. 'a',  or 'b', regex used for validation is '…')`: the double space is the apiserver's. */
function regexError(message: string, format: string, ...examples: string[]): string {
  const shown = examples.map((example) => `'${example}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

const maxLengthError = (length: number) => `must be no more than ${length} characters`;
const emptyError = () => 'must be non-empty';

const dns1123LabelFormat = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFormat = `${dns1123LabelFormat}(\\.${dns1123LabelFormat})*`;
const qualifiedNameFormat = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFormat = `(${qualifiedNameFormat})?`;

const whole = (format: string) => new RegExp(`^${format}$`);
const dns1123Label = whole(dns1123LabelFormat);
const dns1123Subdomain = whole(dns1123SubdomainFormat);
const qualifiedName = whole(qualifiedNameFormat);
/** A label value's syntax, without its 63-character limit (labelValueErrors checks both). */
export const labelValuePattern = whole(labelValueFormat);

export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLengthError(253));
  if (!dns1123Subdomain.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and " +
          'must start and end with an alphanumeric character',
        dns1123SubdomainFormat,
        'example.com',
      ),
    );
  }
  return errors;
}

export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLengthError(63));
  if (!dns1123Label.test(value)) {
    errors.push(
      dns1123Subdomain.test(value)
        ? 'must not contain dots'
        : regexError(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must " +
              'start and end with an alphanumeric character',
            dns1123LabelFormat,
            'my-name',
            '123-abc',
          ),
    );
  }
  return errors;
}

const qualifiedNameRegexError = () =>
  regexError(
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
      'character',
    qualifiedNameFormat,
    'MyName',
    'my.name',
    '123-abc',
  );

/** A label or annotation key: `[prefix/]name`, the prefix a DNS-1123 subdomain. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${qualifiedNameRegexError()} with an optional DNS subdomain prefix and '/' ` +
        "(e.g. 'example.com/MyName')",
    ];
  }
  const errors: string[] = [];
  const name = parts.length === 2 ? (parts[1] as string) : value;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix.length === 0) errors.push(`prefix part ${emptyError()}`);
    else errors.push(...dns1123SubdomainErrors(prefix).map((message) => `prefix part ${message}`));
  }
  if (name.length === 0) errors.push(`name part ${emptyError()}`);
  else if (name.length > 63) errors.push(`name part ${maxLengthError(63)}`);
  if (!qualifiedName.test(name)) errors.push(`name part ${qualifiedNameRegexError()}`);
  return errors;
}

export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLengthError(63));
  if (!labelValuePattern.test(value)) {
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and " +
          'must start and end with an alphanumeric character',
        labelValueFormat,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errors;
}
