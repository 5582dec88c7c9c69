import { QuestionnaireTemplate } from './klantbeleving';

/** A template version as a platform admin submits it (checked by the api's CreateQuestionnaireTemplateDto). */
export type NewTemplate = Omit<QuestionnaireTemplate, 'version'>;
