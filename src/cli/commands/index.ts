import type { Command } from '../command.js';
import { adminTokenReset } from './admin-token.commands.js';
import { clientsCreate, clientsList, clientsRotateSecret } from './clients.commands.js';
import { keysRotate } from './keys.commands.js';
import { migrate } from './migrate.command.js';
import { ownersCreate, ownersDisable } from './owners.commands.js';

/** Every `tessera` command; a new one is a file in this folder plus one entry here. */
export const COMMANDS: Command[] = [
  migrate,
  clientsCreate,
  clientsList,
  clientsRotateSecret,
  ownersCreate,
  ownersDisable,
  keysRotate,
  adminTokenReset,
];
