import { LabIcon } from '@jupyterlab/ui-components';
import gallerySvgstr from '../../style/icons/gallery.svg';
import commentSvgstr from '../../style/icons/comment.svg';
import historySvgstr from '../../style/icons/history.svg';

/** The gallery's icon, shared by the sidebar tab, the toolbar button and the menus. */
export const galleryIcon = new LabIcon({
  name: 'notebook-gallery:gallery',
  svgstr: gallerySvgstr
});

/** A clock turning back, for History: JupyterLab 4.0 has no history icon of its own (4.1 added one). */
export const galleryHistoryIcon = new LabIcon({
  name: 'notebook-gallery:history',
  svgstr: historySvgstr
});

/** A speech bubble, for the comments panel's tab and the markers on commented cells. */
export const commentIcon = new LabIcon({
  name: 'notebook-gallery:comment',
  svgstr: commentSvgstr
});
