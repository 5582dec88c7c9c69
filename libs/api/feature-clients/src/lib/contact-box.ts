import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';

/** AES-256-GCM box for client contact data (e-mail, phone), keyed by DATA_ENCRYPTION_KEY. */
export const CONTACT_BOX = Symbol('CONTACT_BOX');
export const contactBoxProvider = {
  provide: CONTACT_BOX,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new SecretBox(config.encryptionKey),
};
