import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';

import { synqIcon } from './icons';
import { synq } from './synqLanguage';

export const SYNQ_MIME = 'text/x-synq';

/**
 * `.synq` files: a file type that opens in the editor, highlighted as SynQ.
 */
export const languagePlugin: JupyterFrontEndPlugin<void> = {
  id: 'synq-jupyter:language',
  description: 'Syntax highlighting for SynQ (.synq files).',
  autoStart: true,
  requires: [IEditorLanguageRegistry],
  activate: (app: JupyterFrontEnd, languages: IEditorLanguageRegistry): void => {
    languages.addLanguage({
      name: 'synq',
      displayName: 'SynQ',
      mime: SYNQ_MIME,
      extensions: ['synq'],
      support: synq()
    });
    app.docRegistry.addFileType(
      {
        name: 'synq',
        displayName: 'SynQ circuit',
        extensions: ['.synq'],
        mimeTypes: [SYNQ_MIME],
        fileFormat: 'text',
        contentType: 'file',
        icon: synqIcon
      },
      ['Editor']
    );
  }
};
