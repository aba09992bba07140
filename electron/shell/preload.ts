import { contextBridge, ipcRenderer } from 'electron';
import { exposeBridge } from './preload-api';

exposeBridge(contextBridge, ipcRenderer);
