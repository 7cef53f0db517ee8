import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry,
  IEditorLanguageRegistry
} from '@jupyterlab/codemirror';

import { synqIcon } from './icons';
import { synqCellHighlighter } from './synqCells';
import { synq } from './synqLanguage';

export const SYNQ_MIME = 'text/x-synq';

/**
 * SynQ highlighting: `.synq` files (a file type that opens in the editor) and the
 * bodies of `%%synq` notebook cells.
 */
export const languagePlugin: JupyterFrontEndPlugin<void> = {
  id: 'synq-jupyter:language',
  description: 'Syntax highlighting for SynQ: .synq files and %%synq cells.',
  autoStart: true,
  requires: [IEditorLanguageRegistry],
  optional: [IEditorExtensionRegistry],
  activate: (
    app: JupyterFrontEnd,
    languages: IEditorLanguageRegistry,
    extensions: IEditorExtensionRegistry | null
  ): void => {
    extensions?.addExtension({
      name: 'synq-jupyter:cell-magic',
      factory: () => EditorExtensionRegistry.createImmutableExtension(synqCellHighlighter)
    });
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
