/**
 * Documentation metadata for one environment variable. The registry it fills is the single
 * source for `.env.example` (checked by a test) and the README's configuration table.
 */
export interface EnvVarDoc {
  name: string;
  description: string;
  defaultValue: string | undefined;
  sensitive: boolean;
}

const registry = new Map<string, EnvVarDoc>();

export function EnvVar(doc: {
  description: string;
  default?: string;
  sensitive?: boolean;
}): PropertyDecorator {
  return (_target, propertyKey) => {
    const name = String(propertyKey);
    registry.set(name, {
      name,
      description: doc.description,
      defaultValue: doc.default,
      sensitive: doc.sensitive ?? false,
    });
  };
}

export function documentedEnvVars(): EnvVarDoc[] {
  return [...registry.values()];
}
