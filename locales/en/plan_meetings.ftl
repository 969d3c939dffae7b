## Plan and meetings: the dialogs' new texts

