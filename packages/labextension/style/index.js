import './base.css';
import './history.css';
import './discovery.css';
import './comments.css';
